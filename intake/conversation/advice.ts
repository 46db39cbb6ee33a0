import type { IncidentCategory } from '../report/report-schema.js';

/**
 * What to do next, by category, shown with the receipt: the first hours
 * decide whether a transfer can still be stopped, and recovery "services"
 * are the next scam that finds every victim.
 */
export function adviceFor(category: IncidentCategory | undefined, urgent: boolean): string[] {
  const advice: string[] = [];
  if (urgent) advice.push('advice.emergency');
  switch (category) {
    case 'voice_phishing':
    case 'loan_shopping':
      advice.push('advice.callBank');
      break;
    case 'investment_crypto':
    case 'romance':
      advice.push('advice.callBank', 'advice.recoveryScam');
      break;
    case 'fake_job_compound':
      advice.push('advice.embassy', 'advice.keepPhoneSafe');
      break;
    case 'money_mule':
      advice.push('advice.stopAccount');
      break;
    case 'sextortion':
      advice.push('advice.doNotPay');
      break;
    default:
      break;
  }
  advice.push('advice.keepEvidence');
  return advice;
}
