// `kuan staff add --user U --role R [--password P]` creates a staff account (the password from --password
// or, without it, from standard input — the safer way, as arguments show in the process list); a
// collector or compliance officer is also a queue agent (src/app/staff-agents.ts: --languages, --buckets,
// --capacity), and `kuan staff agent --user U` changes those and the shift (--on-shift / --off-shift);
// `kuan staff list` lists accounts; `kuan staff disable --user U` / `enable` turn one off or on (disabling
// ends its sessions; the last enabled admin cannot be disabled). Passwords are stored only as argon2id
// hashes. Each change appends a row to the audit chain (actor `cli:<os user>`, no password; src/cli/audit.ts).
import { hashPassword, checkNewPassword, staffRoles } from '../../api/index.ts';
import { InputError, quote } from '../../errors/index.ts';
import { databaseConfigFromEnv, migrate, openDatabase } from '../../store/index.ts';
import { agentCapacityMax } from '../../workbench/index.ts';
import { checkAgentSettings, syncStaffAgent, type AgentSettings } from '../../app/index.ts';
import {
  createStaffAccount,
  getStaffAccount,
  listStaffAccounts,
  revokeSubjectSessions,
  staffUsernamePattern,
  updateStaffAccount,
} from '../../store/access.ts';
import { recordCliAction } from '../audit.ts';
import type { Command } from '../command.ts';
import { choice, listOption, parseOptions, wholeNumberOption } from '../options.ts';

const usage =
  'staff add --user U --role admin|supervisor|collector|compliance|viewer [--password P] [--languages L,L] [--buckets B,B] [--capacity N] | staff agent --user U [--languages L,L] [--buckets B,B] [--capacity N] [--on-shift|--off-shift] | staff list | staff disable|enable --user U';

function username(value: string | undefined): string {
  if (value === undefined) throw new InputError('--user', `is required (usage: kuan ${usage})`);
  if (!staffUsernamePattern.test(value)) {
    throw new InputError(
      '--user',
      `must be 1-64 lower-case letters, digits or . _ - starting with a letter or digit, got ${quote(value)}`,
    );
  }
  return value;
}

export const staffCommand: Command = {
  name: 'staff',
  summary: 'staff accounts: add (password from stdin or --password), list, disable, enable',
  usage,
  details: [
    'subcommands:',
    '  add --user U --role R [--password P]   create an account; without --password the password is read from stdin',
    '      [--languages L,L] [--buckets B,B] [--capacity N]   a collector or compliance officer is a queue agent',
    '                                         with these skills (default: any language and bucket) and capacity',
    '  agent --user U [--languages L,L] [--buckets B,B] [--capacity N] [--on-shift|--off-shift]',
    '                                         change an agent’s skills, capacity or shift (off shift: no new cases)',
    '  list                                   accounts, their roles and whether they are disabled',
    '  disable --user U | enable --user U     turn an account off (its sessions end) or back on',
    '',
    `roles: ${staffRoles.join(', ')} (see docs/access.md). Passwords: at least 10 characters.`,
  ].join('\n'),
  async run(argv, io) {
    const [sub, ...rest] = argv;
    const { values } = parseOptions(
      rest,
      {
        options: {
          user: { type: 'string' },
          role: { type: 'string' },
          password: { type: 'string' },
          languages: { type: 'string' },
          buckets: { type: 'string' },
          capacity: { type: 'string' },
          'on-shift': { type: 'boolean' },
          'off-shift': { type: 'boolean' },
        },
      },
      usage,
    );
    if (sub !== 'add' && sub !== 'agent' && sub !== 'list' && sub !== 'disable' && sub !== 'enable') {
      throw new InputError(
        'subcommand',
        `must be add, agent, list, disable or enable, got ${quote(sub ?? '')} (usage: kuan ${usage})`,
      );
    }
    if (values['on-shift'] === true && values['off-shift'] === true) {
      throw new InputError('--off-shift', 'cannot be given with --on-shift');
    }
    const capacity = wholeNumberOption(values.capacity, '--capacity', { min: 0, max: agentCapacityMax });
    const settings: AgentSettings = {
      ...(values.languages === undefined ? {} : { languages: listOption(values.languages, '--languages') }),
      ...(values.buckets === undefined ? {} : { buckets: listOption(values.buckets, '--buckets') }),
      ...(capacity === undefined ? {} : { capacity }),
      ...(values['on-shift'] === true ? { onShift: true } : values['off-shift'] === true ? { onShift: false } : {}),
    };
    let prepared: { user: string; role: (typeof staffRoles)[number]; passwordHash: string } | undefined;
    if (sub === 'add') {
      const user = username(values.user);
      if (values.role === undefined) throw new InputError('--role', `is required, one of ${staffRoles.join(', ')}`);
      const role = choice(values.role, staffRoles, '--role');
      let password = values.password;
      if (password === undefined) {
        if (io.stdin.isTerminal) throw new InputError('--password', 'give it, or pipe the password on stdin');
        password = (await io.stdin.read(4096)).replace(/\r?\n$/, '');
      }
      checkAgentSettings(role, settings);
      prepared = { user, role, passwordHash: await hashPassword(checkNewPassword(password, '--password')) };
    }
    const db = await openDatabase(databaseConfigFromEnv(io.env));
    try {
      await migrate(db);
      const nowMs = Date.now();
      if (prepared !== undefined) {
        const created = await createStaffAccount(db, {
          username: prepared.user,
          role: prepared.role,
          passwordHash: prepared.passwordHash,
          atMs: nowMs,
        });
        if (!created) throw new InputError('--user', `${quote(prepared.user)} exists already`);
        const agent = await syncStaffAgent(
          db,
          { username: prepared.user, role: prepared.role, disabled: false },
          settings,
          nowMs,
        );
        const unrecorded = await recordCliAction(db, io.env, {
          action: 'cli.staff.add',
          resource: `staff/${prepared.user}`,
          detail: { username: prepared.user, role: prepared.role, ...(agent ? { agent } : {}) },
        });
        const done = `staff ${prepared.user} added with role ${prepared.role}${agent ? `, an agent of the ${agent.team} queue` : ''}`;
        if (unrecorded !== undefined) {
          io.stderr.write(`${done}, but ${unrecorded}\n`);
          return 1;
        }
        io.stdout.write(`${done}\n`);
        return 0;
      }
      if (sub === 'list') {
        const lines: string[] = [];
        let after: string | undefined;
        for (;;) {
          const rows = await listStaffAccounts(db, { limit: 1000, ...(after === undefined ? {} : { after }) });
          for (const row of rows) lines.push(`${row.username}\t${row.role}${row.disabled ? '\tdisabled' : ''}`);
          if (rows.length < 1000) break;
          after = rows.at(-1)?.username;
        }
        io.stdout.write(lines.length === 0 ? 'no staff accounts\n' : `${lines.join('\n')}\n`);
        return 0;
      }
      const user = username(values.user);
      if (sub === 'agent') {
        const account = await getStaffAccount(db, user);
        if (account === undefined) throw new InputError('--user', `no staff account ${quote(user)}`);
        const agent = await syncStaffAgent(db, account, settings, nowMs);
        if (agent === null) throw new InputError('--user', `${quote(user)} is a ${account.role}, who works no queue`);
        const done =
          `staff ${user}: ${agent.team} agent, ${agent.onShift ? 'on' : 'off'} shift, capacity ${agent.capacity}, ` +
          `languages ${agent.languages.join(',') || 'any'}, buckets ${agent.buckets.join(',') || 'any'}`;
        const unrecorded = await recordCliAction(db, io.env, {
          action: 'cli.staff.agent',
          resource: `staff/${user}`,
          detail: { username: user, agent },
        });
        if (unrecorded !== undefined) {
          io.stderr.write(`${done}, but ${unrecorded}\n`);
          return 1;
        }
        io.stdout.write(`${done}\n`);
        return 0;
      }
      const disabled = sub === 'disable';
      const result = await updateStaffAccount(db, { username: user, disabled, atMs: nowMs });
      if (result === 'not_found') throw new InputError('--user', `no staff account ${quote(user)}`);
      if (result === 'last_admin') {
        throw new InputError('--user', `${quote(user)} is the last enabled admin; enable or add another admin first`);
      }
      if (disabled) await revokeSubjectSessions(db, { kind: 'staff', id: user, atMs: nowMs });
      const account = await getStaffAccount(db, user);
      // An agent's queue follows its account: off while disabled, back on shift when enabled.
      if (account !== undefined) await syncStaffAgent(db, account, disabled ? {} : { onShift: true }, nowMs);
      const done = `staff ${user} ${disabled ? 'disabled' : 'enabled'}`;
      const unrecorded = await recordCliAction(db, io.env, {
        action: `cli.staff.${sub}`,
        resource: `staff/${user}`,
        detail: { username: user, disabled },
      });
      if (unrecorded !== undefined) {
        io.stderr.write(`${done}, but ${unrecorded}\n`);
        return 1;
      }
      io.stdout.write(`${done}\n`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
