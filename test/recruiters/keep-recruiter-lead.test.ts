import { describe, expect, it } from 'vitest';
import type { ConversationOutput, ConversationState } from '../../intake/conversation/conversation-types.js';
import { startConversation } from '../../intake/conversation/conversation-engine.js';
import { keepRecruiterLead } from '../../intake/recruiters/keep-recruiter-lead.js';
import type { RecruiterLead } from '../../intake/recruiters/recruiter-lead.js';

const lead: RecruiterLead = { via: 'telegram_user', userId: 6_021_447_001, username: 'BestJobs_TH' };
const deps = { conversationId: 'conv-1', updateKey: 'u-9' };
const forwarded = { type: 'text' as const, text: 'งานดี เงินเยอะ', messageId: '7', forwardedFrom: lead };

function gathering(): ConversationState {
  return { ...startConversation({ channel: 'telegram', languageHint: 'th' }).state, step: 'narrative' };
}

describe('keeping whom a forwarded message came from in the report', () => {
  it('puts it in the draft while the report is gathered, once however often it is forwarded', () => {
    const state = gathering();
    const once = keepRecruiterLead(state, forwarded, { state, outputs: [] }, deps);
    expect(once.state.draft.suspects?.forwardedFrom).toEqual([lead]);
    const twice = keepRecruiterLead(once.state, forwarded, { state: once.state, outputs: [] }, deps);
    expect(twice.state.draft.suspects?.forwardedFrom).toEqual([lead]);
  });

  it('puts it in the report this very turn submits', () => {
    const state = gathering();
    const submit: ConversationOutput = {
      type: 'effect',
      effect: { kind: 'submit_report', submissionKey: 'k', content: { consent: { shareWithLawEnforcement: true } } },
    };
    const turn = keepRecruiterLead(state, forwarded, { state, outputs: [submit] }, deps);
    const effect = turn.outputs[0] as Extract<ConversationOutput, { type: 'effect' }>;
    expect(effect.effect.kind === 'submit_report' && effect.effect.content.suspects?.forwardedFrom).toEqual([lead]);
  });

  it('amends a stored report: within the turn’s own amendment, or by one of its own keyed to the update', () => {
    const stored: ConversationState = {
      ...gathering(),
      submitted: { reference: 'RL-AAAA-BBBB', receiptCode: 'C' },
      amendments: 2,
    };
    const amend: ConversationOutput = {
      type: 'effect',
      effect: {
        kind: 'amend_report',
        reference: 'RL-AAAA-BBBB',
        receiptCode: 'C',
        key: 'k2',
        changes: { incident: { narrative: 'x' } },
      },
    };
    const merged = keepRecruiterLead(stored, forwarded, { state: stored, outputs: [amend] }, deps);
    expect(merged.outputs).toHaveLength(1);
    expect(merged.outputs[0]).toMatchObject({
      effect: {
        kind: 'amend_report',
        key: 'k2',
        changes: { incident: { narrative: 'x' }, suspects: { forwardedFrom: [lead] } },
      },
    });
    const own = keepRecruiterLead(stored, forwarded, { state: stored, outputs: [] }, deps);
    expect(own.state.amendments).toBe(3);
    expect(own.outputs).toEqual([
      {
        type: 'effect',
        effect: {
          kind: 'amend_report',
          reference: 'RL-AAAA-BBBB',
          receiptCode: 'C',
          changes: { suspects: { forwardedFrom: [lead] } },
          key: 'conv-1:u-9:amend:3',
        },
      },
    ]);
  });

  it('takes nothing while the person is asked to wait, nor outside a report', () => {
    const waiting = { ...gathering(), step: 'awaitingSubmit' };
    expect(
      keepRecruiterLead(waiting, forwarded, { state: waiting, outputs: [] }, deps).state.draft.suspects,
    ).toBeUndefined();
    const status: ConversationState = { ...gathering(), mode: 'status', step: 'statusReference' };
    expect(
      keepRecruiterLead(status, forwarded, { state: status, outputs: [] }, deps).state.draft.suspects,
    ).toBeUndefined();
  });
});
