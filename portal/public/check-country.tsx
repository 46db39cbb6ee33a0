import type { Context } from 'hono';
import type { TFunction } from 'i18next';
import { z } from 'zod';
import { conversationCountries } from '../../intake/conversation/choice-options.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { countryOfLanguageFor } from '../../intake/conversation/check-country-hint.js';

/**
 * The country a number written locally ("081 234 5678") is read in, on the check box and the dispute form: a
 * choice the person can change, first set from the browser (the region of its language tag, else the country
 * where the page's language is spoken most). Posted, never put in an address.
 */

export const checkCountrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/)
  .refine((code) => (conversationCountries as readonly string[]).includes(code))
  .optional();

/** The country the browser suggests, if it is one of the choices. */
export function suggestedCheckCountry(c: Context, language: LanguageCode): string | undefined {
  const first = c.req.header('accept-language')?.split(',')[0]?.split(';')[0]?.trim();
  let region: string | undefined;
  try {
    region = first ? new Intl.Locale(first.replace('_', '-')).region : undefined;
  } catch {
    // A tag the browser sent that is not a language tag suggests nothing.
    region = undefined;
  }
  const candidate = region ?? countryOfLanguageFor(language);
  return candidate && (conversationCountries as readonly string[]).includes(candidate) ? candidate : undefined;
}

/** The country choice of a check or dispute form. */
export function CheckCountryField(props: { t: TFunction; language: LanguageCode; id: string; selected?: string }) {
  const names = new Intl.DisplayNames([props.language, 'en'], { type: 'region' });
  return (
    <>
      <label for={props.id}>{props.t('check.countryLabel')}</label>
      <select id={props.id} name="country">
        <option value="" selected={!props.selected}>
          {props.t('check.countryUnknown')}
        </option>
        {conversationCountries.map((code) => (
          <option value={code} selected={code === props.selected}>
            {names.of(code) ?? code}
          </option>
        ))}
      </select>
    </>
  );
}
