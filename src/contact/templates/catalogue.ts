// The built-in template catalogue: every message Kuan sends, in zh-CN and en, as data. Tone: humane and
// clear, never threatening — state the facts (amount, due date, days past due), how to pay (the portal),
// how to get help (a hold or a plan), and the verification code that proves the message genuine.
// Invariants (checked by validateTemplates, run as a test): both locales; every variant carries
// {{verificationCode}}; placeholders are known variables; both locales of a variant use the same
// variables; English SMS text stays inside the GSM-7 alphabet (no curly quotes or dashes) so it is not
// billed as UCS-2; no message mentions a borrower's family, employer, police, arrest or public shaming.
import type { TemplateDefinition } from './types.ts';

// Shared sentences, so every message says them the same way.
const zh = {
  checkShort: '核验码{{verificationCode}}，可在官方App/门户核验本消息真伪。',
  checkLong:
    '核验码 {{verificationCode}}：您可登录官方App或门户 {{portalUrl}} 的“消息记录”核验本消息真伪。' +
    '我们不会索要您的密码或登录验证码，也不会要求您向个人账户转账。',
  helpShort: '如有困难，可在门户申请缓催或还款计划。',
  helpLong: '如果您暂时有困难，请告诉我们：您可在门户申请缓催（暂缓提醒），或申请调整还款计划（如延期、停息分期）。',
  greet: '尊敬的{{borrowerName}}：\n\n您好！',
  signOff: '\n\n{{lenderName}}',
  callOpen:
    '您好，请问是{{borrowerName}}本人吗？\n' +
    '［若非本人接听：不提及任何借款信息，礼貌询问方便联系本人的时间后结束通话。］\n' +
    '我是{{lenderName}}的客服。',
  callCheck: '为保障您的安全，本次来电的核验码是 {{verificationCode}}，您可在官方App或门户的“消息记录”中核对。',
  callClose: '感谢您的接听，祝您生活顺利。',
};

const en = {
  checkShort: 'Verification code {{verificationCode}}: check it in our app/portal to confirm this message is genuine.',
  checkLong:
    'Verification code {{verificationCode}}: to confirm this message is genuine, find it under Messages in our ' +
    'official app or portal at {{portalUrl}}. We never ask for your password or sign-in codes, and never ask ' +
    'you to pay into a personal account.',
  helpShort: 'Need more time? Ask for a hold or a plan there.',
  helpLong:
    'If paying is hard right now, please tell us. In the portal you can ask for a hold (a pause in reminders) ' +
    'or a new payment plan (more time, or smaller installments).',
  greet: 'Dear {{borrowerName}},\n\n',
  signOff: '\n\nKind regards,\n{{lenderName}}',
  callOpen:
    'Hello, may I speak with {{borrowerName}}?\n' +
    '[If someone else answers: do not mention any loan or debt; ask when the borrower can be reached, thank them and end the call.]\n' +
    'This is [your name] from {{lenderName}}.',
  callCheck:
    'For your security, this call has verification code {{verificationCode}}; you can see it under Messages in our app or portal.',
  callClose: 'Thank you for your time.',
};

function zhLetter(...paragraphs: string[]): string {
  return `${zh.greet}${paragraphs.join('\n\n')}\n\n${zh.checkLong}${zh.signOff}`;
}
function enLetter(...paragraphs: string[]): string {
  return `${en.greet}${paragraphs.join('\n\n')}\n\n${en.checkLong}${en.signOff}`;
}
function zhSms(text: string): string {
  return `【{{lenderName}}】${text}${zh.checkShort}`;
}
function enSms(text: string): string {
  return `{{lenderName}}: ${text} ${en.checkShort}`;
}
function zhCall(...lines: string[]): string {
  return [zh.callOpen, ...lines, zh.callCheck, zh.callClose].join('\n');
}
function enCall(...lines: string[]): string {
  return [en.callOpen, ...lines, en.callCheck, en.callClose].join('\n');
}

const zhPayWays = '您可登录 {{portalUrl}} 通过银行转账或已绑定账户还款。如您已还款，请忽略本消息，感谢您的支持。';
const enPayWays =
  'You can pay at {{portalUrl}} by bank transfer or from your linked account. If you have already paid, ' +
  'thank you, and please ignore this message.';
const zhCallHelp = '如还款有困难，可以告诉我们原因，我们可为您申请缓催或调整还款计划。［记录原因。］';
const enCallHelp =
  'If paying is difficult, tell us why; we can arrange a hold or a new payment plan. [Record the reason.]';

export const builtInTemplates: readonly TemplateDefinition[] = [
  {
    id: 'due_soon',
    purpose: 'reminder',
    kind: 'collection',
    summary: 'An installment falls due in a few days.',
    locales: {
      'zh-CN': {
        subject: '还款提醒：{{dueDate}}应还{{amount}}',
        short: zhSms(
          '{{borrowerName}}您好，您的{{loanList}}将于{{dueDate}}到期，应还{{amount}}。还款请访问 {{portalUrl}} ；' +
            zh.helpShort,
        ),
        long: zhLetter('温馨提醒：您的{{loanList}}将于{{dueDate}}到期，应还金额{{amount}}。', zhPayWays, zh.helpLong),
        script: zhCall(
          '今天来电是温馨提醒您：您的{{loanList}}将于{{dueDate}}到期，应还{{amount}}。',
          '［如已还款：致谢后结束通话。］',
          '您可登录 {{portalUrl}} 还款。' + zhCallHelp,
        ),
      },
      en: {
        subject: 'Reminder: {{amount}} due on {{dueDate}}',
        short: enSms(
          'Hi {{borrowerName}}, {{amount}} for {{loanList}} is due on {{dueDate}}. Pay at {{portalUrl}}. ' +
            en.helpShort,
        ),
        long: enLetter(
          'A friendly reminder: {{amount}} for {{loanList}} is due on {{dueDate}}.',
          enPayWays,
          en.helpLong,
        ),
        script: enCall(
          'I am calling with a friendly reminder that {{amount}} for {{loanList}} is due on {{dueDate}}.',
          '[If already paid: thank them and end the call.]',
          'You can pay at {{portalUrl}}. ' + enCallHelp,
        ),
      },
    },
  },
  {
    id: 'due_today',
    purpose: 'reminder',
    kind: 'collection',
    summary: 'An installment falls due today.',
    locales: {
      'zh-CN': {
        subject: '今日还款提醒：应还{{amount}}',
        short: zhSms(
          '{{borrowerName}}您好，您的{{loanList}}今天（{{dueDate}}）到期，应还{{amount}}。还款请访问 {{portalUrl}} ；' +
            zh.helpShort,
        ),
        long: zhLetter(
          '温馨提醒：您的{{loanList}}今天（{{dueDate}}）到期，应还金额{{amount}}。',
          zhPayWays,
          zh.helpLong,
        ),
        script: zhCall(
          '今天来电是提醒您：您的{{loanList}}今天（{{dueDate}}）到期，应还{{amount}}。',
          '［如已还款：致谢后结束通话。］',
          '您可登录 {{portalUrl}} 还款。' + zhCallHelp,
        ),
      },
      en: {
        subject: 'Due today: {{amount}}',
        short: enSms(
          'Hi {{borrowerName}}, {{amount}} for {{loanList}} is due today ({{dueDate}}). Pay at {{portalUrl}}. ' +
            en.helpShort,
        ),
        long: enLetter(
          'A reminder that {{amount}} for {{loanList}} is due today ({{dueDate}}).',
          enPayWays,
          en.helpLong,
        ),
        script: enCall(
          'I am calling to remind you that {{amount}} for {{loanList}} is due today, {{dueDate}}.',
          '[If already paid: thank them and end the call.]',
          'You can pay at {{portalUrl}}. ' + enCallHelp,
        ),
      },
    },
  },
  {
    id: 'in_grace',
    purpose: 'reminder',
    kind: 'collection',
    summary: 'Past the due date but inside the grace days: paying now costs no penalty and is not overdue.',
    locales: {
      'zh-CN': {
        subject: '宽限期内还款无罚息：应还{{amount}}',
        short: zhSms(
          '{{borrowerName}}您好，您的{{loanList}}应还{{amount}}（{{dueDate}}到期）。您仍在宽限期内，' +
            '{{graceEndDate}}前还款不收罚息、不计逾期。还款请访问 {{portalUrl}} 。',
        ),
        long: zhLetter(
          '您的{{loanList}}于{{dueDate}}到期，应还金额{{amount}}，目前尚未收到。',
          '别担心：您仍在宽限期内。在{{graceEndDate}}（含）前还款，不收取罚息，也不会记为逾期。',
          zhPayWays,
          zh.helpLong,
        ),
        script: zhCall(
          '您的{{loanList}}于{{dueDate}}到期，应还{{amount}}，我们还没有收到。',
          '您仍在宽限期内，{{graceEndDate}}前还款不收罚息，也不会记为逾期。',
          '您可登录 {{portalUrl}} 还款。' + zhCallHelp,
        ),
      },
      en: {
        subject: 'No penalty if paid by {{graceEndDate}}: {{amount}}',
        short: enSms(
          'Hi {{borrowerName}}, {{amount}} for {{loanList}} was due on {{dueDate}}. You are within your grace days: ' +
            'pay by {{graceEndDate}} and there is no penalty and nothing is recorded as overdue. Pay at {{portalUrl}}.',
        ),
        long: enLetter(
          '{{amount}} for {{loanList}} was due on {{dueDate}}, and we have not received it yet.',
          'There is no need to worry: you are within your grace days. If you pay by {{graceEndDate}}, there is ' +
            'no penalty and the payment is not recorded as overdue.',
          enPayWays,
          en.helpLong,
        ),
        script: enCall(
          '{{amount}} for {{loanList}} was due on {{dueDate}}, and we have not received it yet.',
          'You are within your grace days: if you pay by {{graceEndDate}}, there is no penalty and it is not recorded as overdue.',
          'You can pay at {{portalUrl}}. ' + enCallHelp,
        ),
      },
    },
  },
  {
    id: 'grace_ending',
    purpose: 'reminder',
    kind: 'collection',
    summary: 'The grace days end soon; after them the payment counts as overdue.',
    locales: {
      'zh-CN': {
        subject: '宽限期将于{{graceEndDate}}结束',
        short: zhSms(
          '{{borrowerName}}您好，您的{{loanList}}应还{{amount}}，宽限期将于{{graceEndDate}}结束，之后将计为逾期。' +
            '还款请访问 {{portalUrl}} ；' +
            zh.helpShort,
        ),
        long: zhLetter(
          '您的{{loanList}}于{{dueDate}}到期，应还金额{{amount}}。您的宽限期将于{{graceEndDate}}结束。',
          '在此之前还款不收取罚息，也不会记为逾期；宽限期结束后仍未还款的，将按合同计为逾期并可能产生罚息。',
          zhPayWays,
          zh.helpLong,
        ),
        script: zhCall(
          '您的{{loanList}}于{{dueDate}}到期，应还{{amount}}，宽限期将于{{graceEndDate}}结束。',
          '在此之前还款不收罚息、不计逾期。',
          '您可登录 {{portalUrl}} 还款。' + zhCallHelp,
        ),
      },
      en: {
        subject: 'Your grace days end on {{graceEndDate}}',
        short: enSms(
          'Hi {{borrowerName}}, the grace days for {{amount}} on {{loanList}} end on {{graceEndDate}}; after that ' +
            'the payment counts as overdue. Pay at {{portalUrl}}. ' +
            en.helpShort,
        ),
        long: enLetter(
          '{{amount}} for {{loanList}} was due on {{dueDate}}. Your grace days end on {{graceEndDate}}.',
          'Paying by then costs no penalty and nothing is recorded as overdue. After that date, the contract ' +
            'treats the payment as overdue and a penalty may apply.',
          enPayWays,
          en.helpLong,
        ),
        script: enCall(
          '{{amount}} for {{loanList}} was due on {{dueDate}}, and your grace days end on {{graceEndDate}}.',
          'Paying by then costs no penalty and nothing is recorded as overdue.',
          'You can pay at {{portalUrl}}. ' + enCallHelp,
        ),
      },
    },
  },
  {
    id: 'overdue_1',
    purpose: 'reminder',
    kind: 'collection',
    summary: 'The first day past due (after any grace days).',
    locales: {
      'zh-CN': {
        subject: '您的还款已逾期：应还{{amount}}',
        short: zhSms(
          '{{borrowerName}}您好，您的{{loanList}}应还{{amount}}（{{dueDate}}到期），已逾期{{daysOverdue}}天。' +
            '请尽快通过 {{portalUrl}} 还款；' +
            zh.helpShort,
        ),
        long: zhLetter(
          '您的{{loanList}}于{{dueDate}}到期，应还金额{{amount}}，目前已逾期{{daysOverdue}}天。',
          '也许只是一时疏忽。尽早还款可以减少罚息，并保护您的信用记录。',
          zhPayWays,
          zh.helpLong,
        ),
        script: zhCall(
          '您的{{loanList}}于{{dueDate}}到期，应还{{amount}}，目前已逾期{{daysOverdue}}天。',
          '［如已还款：致谢，说明到账可能需要时间，结束通话。］',
          '尽早还款可以减少罚息。您可登录 {{portalUrl}} 还款。' + zhCallHelp,
        ),
      },
      en: {
        subject: 'Your payment of {{amount}} is past due',
        short: enSms(
          'Hi {{borrowerName}}, {{amount}} for {{loanList}} was due on {{dueDate}} (days past due: {{daysOverdue}}). ' +
            'Please pay at {{portalUrl}}. ' +
            en.helpShort,
        ),
        long: enLetter(
          '{{amount}} for {{loanList}} was due on {{dueDate}} and has not been received (days past due: {{daysOverdue}}).',
          'Perhaps it slipped your mind. Paying soon keeps penalty charges low and protects your credit record.',
          enPayWays,
          en.helpLong,
        ),
        script: enCall(
          '{{amount}} for {{loanList}} was due on {{dueDate}} and has not been received (days past due: {{daysOverdue}}).',
          '[If already paid: thank them, explain it can take time to arrive, and end the call.]',
          'Paying soon keeps penalty charges low. You can pay at {{portalUrl}}. ' + enCallHelp,
        ),
      },
    },
  },
  {
    id: 'overdue_7',
    purpose: 'reminder',
    kind: 'collection',
    summary: 'About a week past due.',
    locales: {
      'zh-CN': {
        subject: '逾期{{daysOverdue}}天提醒：应还{{amount}}',
        short: zhSms(
          '{{borrowerName}}您好，您的{{loanList}}已逾期{{daysOverdue}}天，应还{{amount}}。请通过 {{portalUrl}} 还款；' +
            zh.helpShort,
        ),
        long: zhLetter(
          '您的{{loanList}}于{{dueDate}}到期，目前已逾期{{daysOverdue}}天，应还金额{{amount}}（含按合同计收的罚息）。',
          '我们理解每个人都可能遇到困难。如果您能告诉我们逾期的原因，我们可以一起找到合适的办法。',
          zhPayWays,
          zh.helpLong,
        ),
        script: zhCall(
          '您的{{loanList}}于{{dueDate}}到期，目前已逾期{{daysOverdue}}天，应还{{amount}}。',
          '请问是遇到什么情况了吗？［倾听并记录原因。］',
          '您可登录 {{portalUrl}} 还款。' + zhCallHelp,
        ),
      },
      en: {
        subject: '{{amount}} is {{daysOverdue}} days past due',
        short: enSms(
          'Hi {{borrowerName}}, {{amount}} for {{loanList}} is {{daysOverdue}} days past due. Please pay at ' +
            '{{portalUrl}}. ' +
            en.helpShort,
        ),
        long: enLetter(
          '{{amount}} for {{loanList}}, due on {{dueDate}}, is now {{daysOverdue}} days past due (the amount ' +
            'includes any penalty under your contract).',
          'We understand that anyone can run into difficulties. If you tell us what has happened, we can look ' +
            'for a way forward together.',
          enPayWays,
          en.helpLong,
        ),
        script: enCall(
          '{{amount}} for {{loanList}}, due on {{dueDate}}, is now {{daysOverdue}} days past due.',
          'May I ask what has happened? [Listen, and record the reason.]',
          'You can pay at {{portalUrl}}. ' + enCallHelp,
        ),
      },
    },
  },
  {
    id: 'overdue_15',
    purpose: 'reminder',
    kind: 'collection',
    summary: 'About two weeks past due.',
    locales: {
      'zh-CN': {
        subject: '逾期{{daysOverdue}}天：我们可以帮您',
        short: zhSms(
          '{{borrowerName}}您好，您的{{loanList}}已逾期{{daysOverdue}}天，应还{{amount}}。还款请访问 {{portalUrl}} ；' +
            '如暂时无法全额还款，可在门户申请缓催或还款计划。',
        ),
        long: zhLetter(
          '您的{{loanList}}于{{dueDate}}到期，目前已逾期{{daysOverdue}}天，应还金额{{amount}}。',
          '如果暂时无法全额还款，也请不要回避：部分还款、延期或停息分期都是可以商量的。',
          zhPayWays,
          zh.helpLong,
        ),
        script: zhCall(
          '您的{{loanList}}已逾期{{daysOverdue}}天，应还{{amount}}（{{dueDate}}到期）。',
          '如果暂时无法全额还款，我们可以一起看看部分还款、延期或停息分期。［记录对方的还款意愿和时间。］',
          '您可登录 {{portalUrl}} 还款。' + zhCallHelp,
        ),
      },
      en: {
        subject: '{{daysOverdue}} days past due: we can help',
        short: enSms(
          'Hi {{borrowerName}}, {{amount}} for {{loanList}} is {{daysOverdue}} days past due. Pay at {{portalUrl}}. ' +
            'Cannot pay it all now? Ask for a hold or a plan there.',
        ),
        long: enLetter(
          '{{amount}} for {{loanList}}, due on {{dueDate}}, is now {{daysOverdue}} days past due.',
          'If you cannot pay it all right now, please do not avoid us: a part payment, more time, or spreading ' +
            'the arrears over several months with interest frozen can all be discussed.',
          enPayWays,
          en.helpLong,
        ),
        script: enCall(
          '{{amount}} for {{loanList}}, due on {{dueDate}}, is now {{daysOverdue}} days past due.',
          'If you cannot pay it all now, we can look at a part payment, more time, or an installment plan with ' +
            'interest frozen. [Record what they can pay and when.]',
          'You can pay at {{portalUrl}}. ' + enCallHelp,
        ),
      },
    },
  },
  {
    id: 'overdue_30',
    purpose: 'reminder',
    kind: 'collection',
    summary: 'About a month past due; mentions the credit record as a fact.',
    locales: {
      'zh-CN': {
        subject: '逾期{{daysOverdue}}天：请与我们联系',
        short: zhSms(
          '{{borrowerName}}您好，您的{{loanList}}已逾期{{daysOverdue}}天，应还{{amount}}，逾期记录可能影响个人征信。' +
            '还款请访问 {{portalUrl}} ；' +
            zh.helpShort,
        ),
        long: zhLetter(
          '您的{{loanList}}于{{dueDate}}到期，目前已逾期{{daysOverdue}}天，应还金额{{amount}}。',
          '按照合同和相关规定，逾期记录可能会报送征信机构并影响您的个人信用。越早还款或与我们商定还款计划，影响越小。',
          zhPayWays,
          zh.helpLong,
        ),
        script: zhCall(
          '您的{{loanList}}已逾期{{daysOverdue}}天，应还{{amount}}（{{dueDate}}到期）。',
          '想提醒您，逾期记录可能影响个人征信；越早还款或商定还款计划，影响越小。',
          '您可登录 {{portalUrl}} 还款。' + zhCallHelp,
        ),
      },
      en: {
        subject: '{{daysOverdue}} days past due: please get in touch',
        short: enSms(
          'Hi {{borrowerName}}, {{amount}} for {{loanList}} is {{daysOverdue}} days past due, which may affect ' +
            'your credit record. Pay at {{portalUrl}}. ' +
            en.helpShort,
        ),
        long: enLetter(
          '{{amount}} for {{loanList}}, due on {{dueDate}}, is now {{daysOverdue}} days past due.',
          'Under your contract and the applicable rules, overdue payments may be reported to credit bureaus and ' +
            'affect your credit record. The sooner you pay or agree a plan with us, the smaller the effect.',
          enPayWays,
          en.helpLong,
        ),
        script: enCall(
          '{{amount}} for {{loanList}}, due on {{dueDate}}, is now {{daysOverdue}} days past due.',
          'I want to let you know that overdue payments may affect your credit record; paying or agreeing a plan ' +
            'soon keeps the effect small.',
          'You can pay at {{portalUrl}}. ' + enCallHelp,
        ),
      },
    },
  },
  {
    id: 'overdue_60',
    purpose: 'reminder',
    kind: 'collection',
    summary: 'About two months past due; offers a plan first.',
    locales: {
      'zh-CN': {
        subject: '逾期{{daysOverdue}}天：一起商量还款办法',
        short: zhSms(
          '{{borrowerName}}您好，您的{{loanList}}已逾期{{daysOverdue}}天，应还{{amount}}。我们愿意与您商定可行的还款计划，' +
            '请访问 {{portalUrl}} 。',
        ),
        long: zhLetter(
          '您的{{loanList}}于{{dueDate}}到期，目前已逾期{{daysOverdue}}天，应还金额{{amount}}。',
          '我们希望与您一起找到可行的办法。根据您的情况，可以申请延期、停息分期或调整还款日；如您的情况有变化（如疾病、失业），也请告诉我们。',
          zhPayWays,
          zh.helpLong,
        ),
        script: zhCall(
          '您的{{loanList}}已逾期{{daysOverdue}}天，应还{{amount}}（{{dueDate}}到期）。',
          '我们希望与您商定一个可行的还款计划，比如延期或停息分期。［了解收入和困难情况，记录原因。］',
          '您可登录 {{portalUrl}} 还款或申请。' + zhCallHelp,
        ),
      },
      en: {
        subject: '{{daysOverdue}} days past due: let us find a way together',
        short: enSms(
          'Hi {{borrowerName}}, {{amount}} for {{loanList}} is {{daysOverdue}} days past due. We would like to ' +
            'agree a plan you can manage: visit {{portalUrl}}.',
        ),
        long: enLetter(
          '{{amount}} for {{loanList}}, due on {{dueDate}}, is now {{daysOverdue}} days past due.',
          'We would like to find a way forward with you. Depending on your situation, you can ask for more time, ' +
            'an installment plan with interest frozen, or a different due date. If your circumstances have ' +
            'changed (illness, loss of work), please tell us.',
          enPayWays,
          en.helpLong,
        ),
        script: enCall(
          '{{amount}} for {{loanList}}, due on {{dueDate}}, is now {{daysOverdue}} days past due.',
          'We would like to agree a plan you can manage, such as more time or an installment plan with interest ' +
            'frozen. [Ask about income and difficulties; record the reason.]',
          'You can pay or apply at {{portalUrl}}. ' + enCallHelp,
        ),
      },
    },
  },
  {
    id: 'final_notice',
    purpose: 'reminder',
    kind: 'collection',
    summary: 'The last reminder before the account is reviewed for referral to the legal team.',
    locales: {
      'zh-CN': {
        subject: '最后提醒：关于您逾期{{daysOverdue}}天的借款',
        short: zhSms(
          '{{borrowerName}}您好，您的{{loanList}}已逾期{{daysOverdue}}天，应还{{amount}}。这是我们的最后一次提醒，' +
            '之后账户可能转交法务部门审核。请通过 {{portalUrl}} 还款或申请还款计划。',
        ),
        long: zhLetter(
          '您的{{loanList}}于{{dueDate}}到期，目前已逾期{{daysOverdue}}天，应还金额{{amount}}。',
          '这是我们的最后一次提醒。如仍未还款或与我们商定还款计划，您的账户可能会转交法务部门审核。我们更希望与您协商解决。',
          '如您对欠款金额有异议，请在门户提交异议，核实期间我们将暂停催收联系。',
          zhPayWays,
          zh.helpLong,
        ),
        script: zhCall(
          '您的{{loanList}}已逾期{{daysOverdue}}天，应还{{amount}}（{{dueDate}}到期）。',
          '这是我们的最后一次提醒；如仍未还款或商定计划，账户可能转交法务部门审核。我们更希望与您协商解决。',
          '［如对方对欠款有异议：记录异议，告知可在门户提交，核实期间暂停催收联系。］',
          '您可登录 {{portalUrl}} 还款。' + zhCallHelp,
        ),
      },
      en: {
        subject: 'Final reminder: {{amount}}, {{daysOverdue}} days past due',
        short: enSms(
          'Hi {{borrowerName}}, {{amount}} for {{loanList}} is {{daysOverdue}} days past due. This is our final ' +
            'reminder before the account may be passed to our legal team for review. Pay or ask for a plan at {{portalUrl}}.',
        ),
        long: enLetter(
          '{{amount}} for {{loanList}}, due on {{dueDate}}, is now {{daysOverdue}} days past due.',
          'This is our final reminder. If the amount is not paid and no plan is agreed, your account may be ' +
            'passed to our legal team for review. We would much rather agree a way forward with you.',
          'If you dispute the amount, tell us in the portal; we pause collection contact while we check it.',
          enPayWays,
          en.helpLong,
        ),
        script: enCall(
          '{{amount}} for {{loanList}}, due on {{dueDate}}, is now {{daysOverdue}} days past due.',
          'This is our final reminder; if nothing is paid or agreed, the account may be passed to our legal team ' +
            'for review. We would much rather agree a way forward with you.',
          '[If they dispute the debt: record it, tell them they can file it in the portal, and that contact pauses while it is checked.]',
          'You can pay at {{portalUrl}}. ' + enCallHelp,
        ),
      },
    },
  },
  {
    id: 'hold_confirmed',
    purpose: 'notice',
    kind: 'acknowledgement',
    summary: 'A collection hold (缓催) was granted: contact drops to a low cadence and no calls.',
    locales: {
      'zh-CN': {
        subject: '缓催已生效，至{{holdUntil}}',
        short: zhSms(
          '{{borrowerName}}您好，您的缓催申请已生效，至{{holdUntil}}。期间我们将减少联系，不再致电。' +
            '准备好时可访问 {{portalUrl}} 还款或申请还款计划。',
        ),
        long: zhLetter(
          '您的缓催申请已生效，有效期至{{holdUntil}}。',
          '缓催期间，我们将大幅减少联系，并且不会致电。缓催只暂停提醒，不改变应还金额。',
          '准备好时，您可登录 {{portalUrl}} 还款，或申请还款计划调整。祝您一切顺利。',
        ),
        script: zhCall(
          '您的缓催申请已生效，至{{holdUntil}}。期间我们将减少联系，不再致电。',
          '缓催只暂停提醒，不改变应还金额。准备好时可登录 {{portalUrl}} 还款或申请还款计划。',
        ),
      },
      en: {
        subject: 'Your hold is in place until {{holdUntil}}',
        short: enSms(
          'Hi {{borrowerName}}, your hold is in place until {{holdUntil}}. We will contact you much less and will ' +
            'not call. When you are ready, pay or ask for a plan at {{portalUrl}}.',
        ),
        long: enLetter(
          'Your hold is in place until {{holdUntil}}.',
          'During the hold we contact you much less and we do not call. The ' +
            'hold pauses our reminders; it does not change what is due.',
          'When you are ready, you can pay or ask for a new payment plan at {{portalUrl}}. We wish you well.',
        ),
        script: enCall(
          'Your hold is in place until {{holdUntil}}. We will contact you much less and will not call.',
          'The hold pauses our reminders; it does not change what is due. When you are ready, you can pay or ask ' +
            'for a plan at {{portalUrl}}.',
        ),
      },
    },
  },
  {
    id: 'hold_checkin',
    purpose: 'notice',
    kind: 'collection',
    summary: 'A gentle check-in during a hold.',
    locales: {
      'zh-CN': {
        subject: '问候：您的缓催至{{holdUntil}}',
        short: zhSms(
          '{{borrowerName}}您好，希望您一切安好。您的缓催至{{holdUntil}}。如需更多时间或还款计划，可随时在 {{portalUrl}} 申请。',
        ),
        long: zhLetter(
          '希望您一切安好。您的缓催有效期至{{holdUntil}}，在此期间我们仍会尽量少打扰您。',
          '如果您需要更多时间，或希望商定一个还款计划，可随时登录 {{portalUrl}} 申请；准备好时也可以直接在门户还款。',
        ),
        script: zhCall(
          '［缓催期间不得外呼；仅在借款人主动来电时使用。］',
          '您的缓催至{{holdUntil}}。如需更多时间或还款计划，可在 {{portalUrl}} 申请。',
        ),
      },
      en: {
        subject: 'Checking in: your hold runs until {{holdUntil}}',
        short: enSms(
          'Hi {{borrowerName}}, we hope you are doing well. Your hold runs until {{holdUntil}}. If you need more ' +
            'time or a plan, ask at {{portalUrl}} any time.',
        ),
        long: enLetter(
          'We hope you are doing well. Your hold runs until {{holdUntil}}, and until then we keep our messages to ' +
            'a minimum.',
          'If you need more time, or would like to agree a payment plan, you can ask at {{portalUrl}} whenever ' +
            'suits you; you can also pay there when you are ready.',
        ),
        script: enCall(
          '[No outbound calls during a hold: use only when the borrower calls us.]',
          'Your hold runs until {{holdUntil}}. If you need more time or a plan, you can ask at {{portalUrl}}.',
        ),
      },
    },
  },
  {
    id: 'promise_confirmed',
    purpose: 'notice',
    kind: 'acknowledgement',
    summary: 'A promise to pay was recorded.',
    locales: {
      'zh-CN': {
        subject: '已记录您的还款承诺：{{promiseDate}}前还{{promiseAmount}}',
        short: zhSms(
          '{{borrowerName}}您好，感谢您！已记录您将于{{promiseDate}}前为{{loanList}}还款{{promiseAmount}}，' +
            '在此之前我们不会就此提醒您。还款请访问 {{portalUrl}} 。',
        ),
        long: zhLetter(
          '感谢您与我们沟通。我们已记录您的还款承诺：{{promiseDate}}前为{{loanList}}还款{{promiseAmount}}。',
          '在此日期之前，我们不会就这笔款项再提醒您。您可随时登录 {{portalUrl}} 还款；如计划有变，也请及时告诉我们。',
        ),
        script: zhCall(
          '跟您确认一下：您将于{{promiseDate}}前为{{loanList}}还款{{promiseAmount}}，对吗？［确认金额和日期。］',
          '在此之前我们不会就此提醒您。可登录 {{portalUrl}} 还款；如计划有变，请告诉我们。',
        ),
      },
      en: {
        subject: 'Promise noted: {{promiseAmount}} by {{promiseDate}}',
        short: enSms(
          'Hi {{borrowerName}}, thank you. We have noted that you plan to pay {{promiseAmount}} for {{loanList}} ' +
            'by {{promiseDate}}; we will not remind you about it before then. Pay at {{portalUrl}}.',
        ),
        long: enLetter(
          'Thank you for talking to us. We have noted your promise to pay {{promiseAmount}} for {{loanList}} by ' +
            '{{promiseDate}}.',
          'We will not remind you about this amount before that date. You can pay at {{portalUrl}} at any time; ' +
            'if your plans change, please let us know.',
        ),
        script: enCall(
          'To confirm: you plan to pay {{promiseAmount}} for {{loanList}} by {{promiseDate}}, is that right? ' +
            '[Confirm the amount and date.]',
          'We will not remind you about it before then. You can pay at {{portalUrl}}; if plans change, let us know.',
        ),
      },
    },
  },
  {
    id: 'promise_reminder',
    purpose: 'reminder',
    kind: 'collection',
    summary: 'A reminder of a promise to pay as its date comes.',
    locales: {
      'zh-CN': {
        subject: '还款承诺提醒：{{promiseDate}}前还{{promiseAmount}}',
        short: zhSms(
          '{{borrowerName}}您好，温馨提醒：您承诺于{{promiseDate}}前为{{loanList}}还款{{promiseAmount}}。' +
            '还款请访问 {{portalUrl}} ；如计划有变，请在门户告诉我们。',
        ),
        long: zhLetter(
          '温馨提醒：您承诺于{{promiseDate}}前为{{loanList}}还款{{promiseAmount}}。',
          '您可登录 {{portalUrl}} 还款。如果计划有变，请提前告诉我们，我们可以一起调整。',
        ),
        script: zhCall(
          '温馨提醒您：您承诺于{{promiseDate}}前为{{loanList}}还款{{promiseAmount}}。',
          '［如计划有变：记录新的日期和金额或原因。］可登录 {{portalUrl}} 还款。',
        ),
      },
      en: {
        subject: 'Reminder: {{promiseAmount}} by {{promiseDate}}',
        short: enSms(
          'Hi {{borrowerName}}, a reminder that you planned to pay {{promiseAmount}} for {{loanList}} by ' +
            '{{promiseDate}}. Pay at {{portalUrl}}; if plans changed, tell us there.',
        ),
        long: enLetter(
          'A reminder that you planned to pay {{promiseAmount}} for {{loanList}} by {{promiseDate}}.',
          'You can pay at {{portalUrl}}. If your plans have changed, please tell us beforehand and we can adjust ' +
            'them together.',
        ),
        script: enCall(
          'A reminder that you planned to pay {{promiseAmount}} for {{loanList}} by {{promiseDate}}.',
          '[If plans changed: record the new date and amount, or the reason.] You can pay at {{portalUrl}}.',
        ),
      },
    },
  },
  {
    id: 'promise_broken',
    purpose: 'reminder',
    kind: 'collection',
    summary: 'A promised payment did not arrive; asks what changed.',
    locales: {
      'zh-CN': {
        subject: '我们尚未收到您承诺的{{promiseAmount}}',
        short: zhSms(
          '{{borrowerName}}您好，我们尚未收到您承诺于{{promiseDate}}前还款的{{promiseAmount}}，目前{{loanList}}应还{{amount}}。' +
            '如有变化，请告诉我们；还款请访问 {{portalUrl}} 。',
        ),
        long: zhLetter(
          '我们尚未收到您承诺于{{promiseDate}}前为{{loanList}}还款的{{promiseAmount}}。目前应还金额为{{amount}}。',
          '如果情况有变，没关系，请告诉我们，我们可以一起寻找其他办法。',
          zhPayWays,
          zh.helpLong,
        ),
        script: zhCall(
          '我们尚未收到您承诺于{{promiseDate}}前还款的{{promiseAmount}}，目前{{loanList}}应还{{amount}}。',
          '请问是情况有变化吗？［倾听，记录原因；可重新约定日期。］',
          '您可登录 {{portalUrl}} 还款。' + zhCallHelp,
        ),
      },
      en: {
        subject: 'We have not received the {{promiseAmount}} you planned to pay',
        short: enSms(
          'Hi {{borrowerName}}, we have not received the {{promiseAmount}} you planned to pay by {{promiseDate}}; ' +
            '{{amount}} is now due for {{loanList}}. If something changed, tell us. Pay at {{portalUrl}}.',
        ),
        long: enLetter(
          'We have not received the {{promiseAmount}} you planned to pay for {{loanList}} by {{promiseDate}}. The ' +
            'amount now due is {{amount}}.',
          'If something has changed, that is all right: please tell us, and we will look for another way together.',
          enPayWays,
          en.helpLong,
        ),
        script: enCall(
          'We have not received the {{promiseAmount}} you planned to pay by {{promiseDate}}; {{amount}} is now due ' +
            'for {{loanList}}.',
          'Has something changed? [Listen and record the reason; a new date can be agreed.]',
          'You can pay at {{portalUrl}}. ' + enCallHelp,
        ),
      },
    },
  },
  {
    id: 'plan_offer',
    purpose: 'notice',
    kind: 'collection',
    summary: 'Offers a hardship plan (more time, 停息分期, a new due date).',
    locales: {
      'zh-CN': {
        subject: '我们可以为您调整还款计划',
        short: zhSms(
          '{{borrowerName}}您好，您的{{loanList}}目前应还{{amount}}。如一次还清有困难，可申请延期或停息分期，' +
            '请访问 {{portalUrl}} 。',
        ),
        long: zhLetter(
          '您的{{loanList}}目前应还金额为{{amount}}。如果一次还清有困难，我们可以为您调整还款计划：',
          '· 延期：推迟还款日，给您更多时间；\n· 停息分期：冻结利息，将欠款分摊到若干期偿还；\n· 调整还款日：让还款日与您的收入日期相匹配。',
          '您可登录 {{portalUrl}} 查看可选方案并提交申请，我们会尽快回复您。',
        ),
        script: zhCall(
          '您的{{loanList}}目前应还{{amount}}。如果一次还清有困难，我们可以为您申请延期、停息分期或调整还款日。',
          '［了解对方可负担的金额，说明方案，记录选择。］也可登录 {{portalUrl}} 在线申请。',
        ),
      },
      en: {
        subject: 'We can change your payment plan',
        short: enSms(
          'Hi {{borrowerName}}, {{amount}} is due for {{loanList}}. If paying it at once is hard, ask for more ' +
            'time or an installment plan at {{portalUrl}}.',
        ),
        long: enLetter(
          '{{amount}} is due for {{loanList}}. If paying it all at once is hard, we can change your payment plan:',
          '- more time: a later due date;\n- an installment plan: interest frozen and the arrears spread over ' +
            'several months;\n- a new due date that matches when you are paid.',
          'You can see the options and apply at {{portalUrl}}; we will reply as soon as we can.',
        ),
        script: enCall(
          '{{amount}} is due for {{loanList}}. If paying it at once is hard, we can offer more time, an ' +
            'installment plan with interest frozen, or a new due date.',
          '[Ask what they can afford, explain the options, record the choice.] You can also apply at {{portalUrl}}.',
        ),
      },
    },
  },
  {
    id: 'plan_confirmed',
    purpose: 'notice',
    kind: 'acknowledgement',
    summary: 'A hardship plan is in place; states the next payment.',
    locales: {
      'zh-CN': {
        subject: '您的新还款计划已生效',
        short: zhSms(
          '{{borrowerName}}您好，您的{{loanList}}新还款计划已生效，下一期{{dueDate}}应还{{amount}}。完整计划请见 {{portalUrl}} 。',
        ),
        long: zhLetter(
          '您的{{loanList}}新还款计划已生效。下一期应还金额{{amount}}，还款日{{dueDate}}。',
          '完整的还款计划可登录 {{portalUrl}} 查看。按计划还款期间，如再遇到困难，请尽早告诉我们。感谢您的信任。',
        ),
        script: zhCall(
          '您的{{loanList}}新还款计划已生效，下一期{{dueDate}}应还{{amount}}。',
          '完整计划可在 {{portalUrl}} 查看。如再遇到困难，请尽早告诉我们。',
        ),
      },
      en: {
        subject: 'Your new payment plan is in place',
        short: enSms(
          'Hi {{borrowerName}}, your new payment plan for {{loanList}} is in place. Next payment: {{amount}} on ' +
            '{{dueDate}}. Full plan at {{portalUrl}}.',
        ),
        long: enLetter(
          'Your new payment plan for {{loanList}} is in place. Your next payment is {{amount}}, due on {{dueDate}}.',
          'You can see the full plan at {{portalUrl}}. If things get difficult again, please tell us early. Thank ' +
            'you for working with us.',
        ),
        script: enCall(
          'Your new payment plan for {{loanList}} is in place. Your next payment is {{amount}}, due on {{dueDate}}.',
          'The full plan is at {{portalUrl}}. If things get difficult again, please tell us early.',
        ),
      },
    },
  },
  {
    id: 'payment_received',
    purpose: 'notice',
    kind: 'acknowledgement',
    summary: 'A payment was received.',
    locales: {
      'zh-CN': {
        subject: '已收到您的还款{{amount}}',
        short: zhSms('{{borrowerName}}您好，已收到您为{{loanList}}还款的{{amount}}，感谢！明细请见 {{portalUrl}} 。'),
        long: zhLetter(
          '我们已收到您为{{loanList}}还款的{{amount}}，感谢您按时处理。',
          '还款明细和剩余还款计划可登录 {{portalUrl}} 查看。',
        ),
        script: zhCall('我们已收到您为{{loanList}}还款的{{amount}}，谢谢您。明细可在 {{portalUrl}} 查看。'),
      },
      en: {
        subject: 'Payment received: {{amount}}',
        short: enSms(
          'Hi {{borrowerName}}, we received your payment of {{amount}} for {{loanList}}. Thank you! Details at ' +
            '{{portalUrl}}.',
        ),
        long: enLetter(
          'We have received your payment of {{amount}} for {{loanList}}. Thank you.',
          'You can see the details and your remaining schedule at {{portalUrl}}.',
        ),
        script: enCall(
          'We have received your payment of {{amount}} for {{loanList}}; thank you. The details are at {{portalUrl}}.',
        ),
      },
    },
  },
  {
    id: 'payment_failed',
    purpose: 'reminder',
    kind: 'collection',
    summary: 'An auto-debit failed for insufficient funds.',
    locales: {
      'zh-CN': {
        subject: '自动扣款未成功：应还{{amount}}',
        short: zhSms(
          '{{borrowerName}}您好，{{dueDate}}从您绑定账户自动扣款{{amount}}（{{loanList}}）未成功，原因是余额不足。' +
            '请充值或访问 {{portalUrl}} 还款。',
        ),
        long: zhLetter(
          '{{dueDate}}我们尝试从您绑定的账户自动扣款{{amount}}（{{loanList}}），因账户余额不足未能成功。',
          '您可以向绑定账户充值，或登录 {{portalUrl}} 直接还款。如您已还款，请忽略本消息。',
          zh.helpLong,
        ),
        script: zhCall(
          '{{dueDate}}从您绑定账户自动扣款{{amount}}（{{loanList}}）未成功，原因是余额不足。',
          '您可以向账户充值，或登录 {{portalUrl}} 还款。' + zhCallHelp,
        ),
      },
      en: {
        subject: 'Automatic payment of {{amount}} did not go through',
        short: enSms(
          'Hi {{borrowerName}}, the automatic payment of {{amount}} for {{loanList}} on {{dueDate}} did not go ' +
            'through: the balance was not enough. Please top up or pay at {{portalUrl}}.',
        ),
        long: enLetter(
          'On {{dueDate}} we tried to collect {{amount}} for {{loanList}} from your linked account, but the ' +
            'balance was not enough.',
          'You can top up the account, or pay directly at {{portalUrl}}. If you have already paid, please ignore ' +
            'this message.',
          en.helpLong,
        ),
        script: enCall(
          'The automatic payment of {{amount}} for {{loanList}} on {{dueDate}} did not go through: the balance was not enough.',
          'You can top up the account or pay at {{portalUrl}}. ' + enCallHelp,
        ),
      },
    },
  },
  {
    id: 'status_delayed',
    purpose: 'notice',
    kind: 'service',
    summary: 'A disbursement, refund or payment posting is delayed; gives the expected time.',
    locales: {
      'zh-CN': {
        subject: '处理进度通知：预计{{eta}}完成',
        short: zhSms(
          '{{borrowerName}}您好，您的{{what}}处理时间较长，预计{{eta}}前完成，您无需任何操作。进度可在 {{portalUrl}} 查看。',
        ),
        long: zhLetter(
          '您的{{what}}处理时间比平常长，预计将于{{eta}}前完成。',
          '您无需进行任何操作，进度可随时登录 {{portalUrl}} 查看。给您带来不便，敬请谅解。',
        ),
        script: zhCall(
          '来电告知您：您的{{what}}处理时间较长，预计{{eta}}前完成，您无需任何操作。',
          '进度可在 {{portalUrl}} 查看。给您带来不便，敬请谅解。',
        ),
      },
      en: {
        subject: 'Update: expected by {{eta}}',
        short: enSms(
          'Hi {{borrowerName}}, your {{what}} is taking longer than usual; we expect it by {{eta}}. You do not need ' +
            'to do anything. Track it at {{portalUrl}}.',
        ),
        long: enLetter(
          'Your {{what}} is taking longer than usual. We now expect it to be done by {{eta}}.',
          'You do not need to do anything, and you can follow its progress at {{portalUrl}}. We are sorry for the ' +
            'wait.',
        ),
        script: enCall(
          'I am calling to let you know that your {{what}} is taking longer than usual; we expect it by {{eta}}, ' +
            'and you do not need to do anything.',
          'You can follow it at {{portalUrl}}. We are sorry for the wait.',
        ),
      },
    },
  },
  {
    id: 'sign_in_code',
    purpose: 'notice',
    kind: 'service',
    summary: 'A one-time portal sign-in code (never read out on a call).',
    locales: {
      'zh-CN': {
        subject: '您的登录验证码',
        short: zhSms(
          '您的门户登录验证码为{{signInCode}}，仅限在 {{portalUrl}} 使用，请勿告诉任何人，我们的工作人员不会向您索要。',
        ),
        long: zhLetter(
          '您的门户登录验证码为：{{signInCode}}',
          '请仅在 {{portalUrl}} 输入。请勿将验证码告诉任何人，我们的工作人员不会通过电话或消息向您索要。如非本人操作，请忽略本消息。',
        ),
      },
      en: {
        subject: 'Your sign-in code',
        short: enSms(
          'Your sign-in code is {{signInCode}}. Use it only at {{portalUrl}}. Never share it: our staff will never ask for it.',
        ),
        long: enLetter(
          'Your sign-in code is: {{signInCode}}',
          'Enter it only at {{portalUrl}}. Never share it with anyone: our staff will never ask for it by phone ' +
            'or message. If you did not try to sign in, please ignore this message.',
        ),
      },
    },
  },
  {
    id: 'lawyer_letter',
    purpose: 'reminder',
    kind: 'collection',
    summary: "The account was referred to the lender's legal team; a formal letter that still offers a plan.",
    locales: {
      'zh-CN': {
        subject: '关于您逾期借款的正式通知',
        short: zhSms(
          '{{borrowerName}}您好，关于您已逾期{{daysOverdue}}天的{{loanList}}（应还{{amount}}），我们已寄出正式通知函，' +
            '也可在 {{portalUrl}} 查看。我们仍愿与您协商还款计划。',
        ),
        long: zhLetter(
          '关于您的{{loanList}}：{{dueDate}}到期的款项截至本函日期已逾期{{daysOverdue}}天，应还金额{{amount}}。',
          '由于我们此前的提醒未能得到回复，本账户已转交我司法务部门，依法依约审核后续处理方式。',
          '我们仍然希望与您协商解决。您可以：\n1. 登录 {{portalUrl}} 全额或部分还款；\n2. 在门户申请还款计划调整（如延期、停息分期）；\n' +
            '3. 如您对欠款金额有异议，在门户提交异议，核实期间我们将暂停催收联系。',
          '如您已还款，请忽略本函。',
        ),
        script: zhCall(
          '关于您已逾期{{daysOverdue}}天的{{loanList}}（应还{{amount}}，{{dueDate}}到期），本账户已转交我司法务部门审核，我们已寄出正式通知函。',
          '我们仍愿与您协商还款计划。［如有异议：记录异议，告知可在门户提交，核实期间暂停催收联系。］',
          '您可登录 {{portalUrl}} 还款或申请。' + zhCallHelp,
        ),
      },
      en: {
        subject: 'Formal notice about your overdue payment',
        short: enSms(
          'Hi {{borrowerName}}, we have sent you a formal letter about {{loanList}} ({{amount}}, {{daysOverdue}} ' +
            'days past due); you can also read it at {{portalUrl}}. We are still open to agreeing a plan.',
        ),
        long: enLetter(
          'About {{loanList}}: the payment due on {{dueDate}} is now {{daysOverdue}} days past due, and the amount ' +
            'due is {{amount}}.',
          'As we have not heard back from our earlier reminders, the account has been passed to our legal team, ' +
            'who will review the next steps under your contract and the law.',
          'We would still prefer to resolve this with you. You can:\n1. pay in full or in part at {{portalUrl}};\n' +
            '2. ask for a new payment plan in the portal (more time, or an installment plan with interest frozen);\n' +
            '3. if you dispute the amount, tell us in the portal; we pause collection contact while we check it.',
          'If you have already paid, please ignore this letter.',
        ),
        script: enCall(
          'About {{loanList}} ({{amount}}, due on {{dueDate}}, now {{daysOverdue}} days past due): the account has ' +
            'been passed to our legal team for review, and we have sent you a formal letter.',
          'We are still open to agreeing a plan. [If they dispute the debt: record it, tell them they can file it in the portal, and that contact pauses while it is checked.]',
          'You can pay or apply at {{portalUrl}}. ' + enCallHelp,
        ),
      },
    },
  },
];
