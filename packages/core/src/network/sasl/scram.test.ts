import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../errors/client-errors.js';
import type { SaslExchangeContext } from './sasl-mechanism.js';
import { ScramMechanism } from './scram.js';

/** Replays a fixed server script and records what the client sent. */
function scripted(replies: string[]): SaslExchangeContext & { sent: string[] } {
  const sent: string[] = [];
  return {
    host: '127.0.0.1',
    port: 9092,
    sent,
    async exchange(bytes: Buffer): Promise<Buffer> {
      sent.push(bytes.toString('utf8'));
      const reply = replies.shift();
      if (reply === undefined) throw new Error('no scripted reply left');
      return Buffer.from(reply, 'utf8');
    },
  };
}

// The SCRAM-SHA-256 example exchange of RFC 7677, section 3.
const clientNonce = 'rOprNGfwEbeRWgbNEkqO';
const serverFirst = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const clientFinal =
  'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const serverFinal = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

describe('ScramMechanism', () => {
  it('produces the RFC 7677 SCRAM-SHA-256 exchange byte for byte', async () => {
    const scram = new ScramMechanism('sha256', { username: 'user', password: 'pencil' }, () => clientNonce);
    const context = scripted([serverFirst, serverFinal]);
    await scram.authenticate(context);
    expect(context.sent).toEqual([`n,,n=user,r=${clientNonce}`, clientFinal]);
  });

  it('rejects a server that does not know the password (wrong server signature)', async () => {
    const scram = new ScramMechanism('sha256', { username: 'user', password: 'pencil' }, () => clientNonce);
    const forged = 'v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';
    await expect(scram.authenticate(scripted([serverFirst, forged]))).rejects.toThrow(/server signature is wrong/);
  });

  it('rejects a nonce that does not extend ours, and too few iterations', async () => {
    const scram = new ScramMechanism('sha256', { username: 'user', password: 'pencil' }, () => clientNonce);
    await expect(scram.authenticate(scripted(['r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096']))).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    await expect(
      scram.authenticate(scripted([`r=${clientNonce}xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000`])),
    ).rejects.toThrow(/1000 iterations/);
  });

  it('reports a server error attribute and escapes the user name', async () => {
    const scram = new ScramMechanism('sha512', { username: 'a=b,c', password: 'p' }, () => clientNonce);
    const context = scripted(['e=unknown-user']);
    await expect(scram.authenticate(context)).rejects.toThrow(/unknown-user/);
    expect(context.sent[0]).toBe(`n,,n=a=3Db=2Cc,r=${clientNonce}`);
  });

  it('does not reveal the password through inspection', async () => {
    const { inspect } = await import('node:util');
    const scram = new ScramMechanism('sha256', { username: 'user', password: 'hunter2' });
    expect(inspect(scram, { depth: 5, showHidden: true })).not.toContain('hunter2');
    expect(JSON.stringify(scram)).not.toContain('hunter2');
  });
});
