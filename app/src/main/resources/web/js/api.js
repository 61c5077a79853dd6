// The REST API (docs/REST.md): public reads, and requests signed by an account or the operator.

/** A failed request: the HTTP status and the server's stable code and message. */
export class ApiError extends Error
{
    constructor(status, code, message)
    {
        super(message);
        this.status = status;
        this.code = code;
    }
}

async function send(method, path, body, headers)
{
    let response;
    try
    {
        response = await fetch(path, {
            method,
            headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
            body,
            cache: 'no-store',
        });
    }
    catch (failure)
    {
        throw new ApiError(0, 'NETWORK', 'The server cannot be reached (' + failure.message + ').');
    }
    const text = await response.text();
    let json = null;
    try
    {
        json = text ? JSON.parse(text) : null;
    }
    catch (ignored)
    {
        json = null;
    }
    if (!response.ok)
    {
        const code = json && json.code ? json.code : 'HTTP_' + response.status;
        let message = json && json.message ? json.message : (text || response.statusText || 'request failed');
        const retryAfter = response.headers.get('Retry-After');
        if (response.status === 429 && retryAfter)
        {
            message += ' (retry after ' + retryAfter + ' s)';
        }
        throw new ApiError(response.status, code, message);
    }
    if (json === null && text)
    {
        throw new ApiError(response.status, 'BAD_RESPONSE', 'The server answered something that is not JSON.');
    }
    return json;
}

/** GET without a signature. */
export function getPublic(path)
{
    return send('GET', path, undefined, {});
}

/** A request signed by signer (see signer.js); body is an object (sent as JSON) or undefined. */
export async function signed(signer, method, path, body)
{
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = await signer.headers(method, path, text);
    return send(method, path, text, headers);
}
