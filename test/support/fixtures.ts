import { randomBytes } from 'node:crypto';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import type { ReportInput } from '../../intake/report/report-schema.js';

export function testCipher(): FieldCipher {
  return new FieldCipher(randomBytes(32));
}

/**
 * A report with every section filled, as a Korean family member might report
 * a relative held in a compound in Cambodia after a fake job offer.
 */
export function completeReport(): ReportInput {
  return {
    channel: 'api',
    language: 'ko',
    reporterRole: 'family_or_friend',
    consent: { shareWithLawEnforcement: true, contactBack: true },
    reporter: { name: '김민지', contact: 'minji.kim@example.kr', phone: '+82 10-2345-6789' },
    safety: {
      inImmediateDanger: false,
      heldAgainstWill: true,
      minorInvolved: false,
      passportWithheld: true,
      safeContactMethod: 'Telegram 메시지만, 전화는 안 됨',
      safeContactTime: '밤 11시 이후',
    },
    victim: {
      nameOrAlias: '김준호',
      ageBand: '25_34',
      nationality: 'kr',
      residenceCountry: 'KR',
      currentCountry: 'KH',
      currentPlace: '시아누크빌 근처 단지, 건물 B',
      coordinates: { latitude: 10.6278, longitude: 103.5225 },
      languagesSpoken: ['ko', 'en'],
    },
    incident: {
      category: 'fake_job_compound',
      firstContactDate: '2025-08-03',
      firstContactPlatform: 'Telegram',
      ongoing: true,
      narrative:
        '동생이 텔레그램에서 캄보디아 고수익 일자리 제안을 받았습니다. 모집책 번호는 +855 12 345 678 이었고, 도착 후 여권을 빼앗겼습니다. 몸값으로 5,000 USDT를 TRON 지갑으로 요구합니다.',
    },
    losses: {
      payments: [
        {
          date: '2025-08-20',
          amount: 3000000,
          currency: 'krw',
          method: 'bank_transfer',
          fromInstitution: 'KB국민은행',
          toAccount: 'KB국민은행 123-456-789012',
        },
        {
          date: '2025-09-01',
          amount: 1500,
          currency: 'USDT-TRC20',
          method: 'crypto',
          toAccount: 'TThj8QM1oAy46uZhb3wguApBpMZooSDtKk',
          transactionHash: '9f2c4d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e',
        },
      ],
      freezeRequested: true,
      bankCaseNumber: 'KB-2025-0912-33',
    },
    suspects: {
      names: ['Mr. Park', '박실장'],
      phones: ['+855 12 345 678'],
      messengerHandles: ['@goodjob_kh'],
      emails: ['hr@global-job-asia.example'],
      websites: ['https://global-job-asia.example/apply'],
      socialProfiles: ['https://facebook.com/globaljobasia'],
      bankAccounts: ['KB국민은행 123-456-789012'],
      wallets: ['TThj8QM1oAy46uZhb3wguApBpMZooSDtKk'],
      compound: { name: 'Golden Sun Compound', place: 'Sihanoukville', country: 'KH' },
    },
    trafficking: {
      promisedJob: '고객 상담',
      promisedSalary: '월 500만원',
      destination: 'Sihanoukville',
      route: 'Incheon → Phnom Penh → car',
      debtOrRansomDemanded: '5,000 USDT',
      othersHeldCount: 30,
      othersHeldNationalities: ['KR', 'VN', 'ID'],
      embassyContacted: false,
    },
    // Evidence names only files the server itself stored: tests that need one upload it first.
    evidence: [],
    earlierReports: [{ agency: 'kr-knpa', referenceNumber: 'ECRM-2025-118822' }],
  };
}

/** The smallest report the intake accepts: only the consent answer. */
export function minimalReport(): ReportInput {
  return { consent: { shareWithLawEnforcement: false } };
}
