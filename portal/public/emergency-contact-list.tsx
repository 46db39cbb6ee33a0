import type { EmergencyContactView } from '../../intake/conversation/conversation-types.js';

/**
 * Emergency and reporting contacts, each number a link that dials it on a
 * phone. The agency's name and the number or address sit in `<bdi>`: in a
 * right-to-left page "+1-888-373-7888" would otherwise show as "1-888-373-7888+".
 */
export function EmergencyContactList(props: { contacts: EmergencyContactView[]; emptyText: string }) {
  if (props.contacts.length === 0) return <p>{props.emptyText}</p>;
  return (
    <ul class="contacts">
      {props.contacts.map((contact) => (
        <li>
          {contact.label} (<bdi>{contact.agency}</bdi>):{' '}
          <bdi>
            {contact.phone ? (
              <a href={`tel:${contact.phone.replace(/[^\d+#]/g, '')}`}>{contact.phone}</a>
            ) : (
              <a href={contact.url} rel="noreferrer">
                {contact.url}
              </a>
            )}
          </bdi>
        </li>
      ))}
    </ul>
  );
}
