import type { EmergencyContactView } from '../../intake/conversation/conversation-types.js';

/** Emergency and reporting contacts, each number a link that dials it on a phone. */
export function EmergencyContactList(props: { contacts: EmergencyContactView[]; emptyText: string }) {
  if (props.contacts.length === 0) return <p>{props.emptyText}</p>;
  return (
    <ul class="contacts">
      {props.contacts.map((contact) => (
        <li>
          {contact.label} ({contact.agency}):{' '}
          {contact.phone ? (
            <a href={`tel:${contact.phone.replace(/[^\d+#]/g, '')}`}>{contact.phone}</a>
          ) : (
            <a href={contact.url} rel="noreferrer">
              {contact.url}
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
