// Request signing with the browser's own Ed25519 (WebCrypto), as the REST contract asks: the signature covers
// timestamp + "\n" + METHOD + "\n" + path with query + "\n" + body.

// A raw 32-byte Ed25519 private key becomes a PKCS#8 document by this fixed prefix (RFC 8410).
const PKCS8_ED25519_PREFIX = '302e020100300506032b657004220420';

function hexToBytes(hex)
{
    if (!/^([0-9a-fA-F]{2})*$/.test(hex))
    {
        throw new Error('not a hex string');
    }
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++)
    {
        bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    }
    return bytes;
}

function toBase64(buffer)
{
    const bytes = new Uint8Array(buffer);
    let binary = '';
    for (const b of bytes)
    {
        binary += String.fromCharCode(b);
    }
    return btoa(binary);
}

/** Why signing cannot work in this browser, or null when it can. */
export function signingUnavailableReason()
{
    if (!window.isSecureContext)
    {
        return 'This page is not a secure context, so the browser offers no WebCrypto: open it as ' +
            'http://localhost:' + (location.port || '80') + '/ (or over HTTPS) to sign orders.';
    }
    if (!window.crypto || !window.crypto.subtle)
    {
        return 'This browser has no WebCrypto (crypto.subtle), so it cannot sign orders.';
    }
    return null;
}

/**
 * One signing identity: an account (header Rollbook-Account) or the operator (header Rollbook-Operator).
 * The CryptoKey is not extractable; the hex key it came from is dropped after the import.
 */
export class Signer
{
    constructor(header, id, key)
    {
        this.header = header;
        this.id = id;
        this.key = key;
    }

    static async fromHex(header, id, privateKeyHex)
    {
        const raw = hexToBytes(privateKeyHex);
        if (raw.length !== 32)
        {
            throw new Error('an Ed25519 private key has 32 bytes, this one ' + raw.length);
        }
        const pkcs8 = new Uint8Array(48);
        pkcs8.set(hexToBytes(PKCS8_ED25519_PREFIX), 0);
        pkcs8.set(raw, 16);
        const key = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
        return new Signer(header, String(id), key);
    }

    /** Base64 (standard, padded) signature of the UTF-8 bytes of text. */
    async sign(text)
    {
        const signature = await crypto.subtle.sign({ name: 'Ed25519' }, this.key, new TextEncoder().encode(text));
        return toBase64(signature);
    }

    /** The three headers of a signed request. */
    async headers(method, pathWithQuery, body)
    {
        const timestamp = String(Date.now());
        const signature = await this.sign(timestamp + '\n' + method + '\n' + pathWithQuery + '\n' + (body || ''));
        return {
            [this.header]: this.id,
            'Rollbook-Timestamp': timestamp,
            'Rollbook-Signature': signature,
        };
    }
}
