/**
 * A software WebAuthn authenticator for the API tests: it answers the options our passkey routes
 * give as a browser with a platform authenticator would (what @simplewebauthn/browser's
 * startRegistration() and startAuthentication() send back), with an ES256 key pair of node:crypto,
 * `none` attestation and a signature counter. Tests bend it to play the attacker: another origin
 * or RP ID, another key, a counter that goes back.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

// A CBOR encoder (RFC 8949) for what attestation objects and COSE keys hold: integers, byte and
// text strings, and maps.
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function cborHead(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const head = Buffer.alloc(5);
  head[0] = (major << 5) | 26;
  head.writeUInt32BE(length, 1);
  return head;
}

export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([cborHead(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), value]);
  return Buffer.concat([cborHead(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64url = (data: Buffer | Uint8Array) => Buffer.from(data).toString('base64url');

/** Authenticator data flags (WebAuthn §6.1). */
export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

/** What a test may bend in one answer. */
export interface Bend {
  /** The origin the "browser" reports (default: the authenticator's). */
  readonly origin?: string;
  /** The RP ID the authenticator signs for (default: the one in the options, else its own). */
  readonly rpId?: string;
  /** The flags byte (default UP|UV, plus AT when registering). */
  readonly flags?: number;
  /** The challenge answered (default: the options'). */
  readonly challenge?: string;
  /** The counter reported (default: the next one). */
  readonly counter?: number;
  /** The ceremony type in the client data (default webauthn.create / webauthn.get). */
  readonly type?: string;
}

export class SoftAuthenticator {
  readonly credentialId: Buffer;
  private privateKey: KeyObject;
  private publicKey: KeyObject;
  /** The signature counter; it counts up with every assertion unless `counts` is false. */
  counter = 0;
  /** Whether it keeps a signature counter (synced passkeys usually do not: always 0). */
  counts = true;
  private userHandle: string | undefined;

  constructor(
    readonly origin = 'http://localhost:3000',
    readonly rpId = new URL(origin).hostname,
    credentialId: Buffer = randomBytes(16),
  ) {
    this.credentialId = credentialId;
    ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** The same credential id with another key: what an attacker who knows only the id holds. */
  impostor(): SoftAuthenticator {
    const other = new SoftAuthenticator(this.origin, this.rpId, this.credentialId);
    other.userHandle = this.userHandle;
    other.counter = this.counter;
    return other;
  }

  /** The credential's public key, COSE_Key-encoded (RFC 9053: EC2, ES256, P-256). */
  private coseKey(): Buffer {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
  }

  private authenticatorData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create(): a new credential for the options' account. */
  create(options: PublicKeyCredentialCreationOptionsJSON, bend: Bend = {}): RegistrationResponseJSON {
    this.userHandle = options.user.id;
    const length = Buffer.alloc(2);
    length.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16) /* AAGUID: none */, length, this.credentialId, this.coseKey()]);
    const authData = this.authenticatorData(
      bend.rpId ?? options.rp.id ?? this.rpId,
      bend.flags ?? FLAGS.UP | FLAGS.UV | FLAGS.AT,
      bend.counter ?? this.counter,
      attested,
    );
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(
          this.clientData(
            bend.type ?? 'webauthn.create',
            bend.challenge ?? options.challenge,
            bend.origin ?? this.origin,
          ),
        ),
        attestationObject: b64url(attestationObject),
        transports: ['internal', 'hybrid'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get(): an assertion signed with this credential's key. */
  get(options: PublicKeyCredentialRequestOptionsJSON, bend: Bend = {}): AuthenticationResponseJSON {
    if (this.counts && bend.counter === undefined) this.counter += 1;
    const authData = this.authenticatorData(
      bend.rpId ?? options.rpId ?? this.rpId,
      bend.flags ?? FLAGS.UP | FLAGS.UV,
      bend.counter ?? (this.counts ? this.counter : 0),
    );
    const clientData = this.clientData(
      bend.type ?? 'webauthn.get',
      bend.challenge ?? options.challenge,
      bend.origin ?? this.origin,
    );
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
