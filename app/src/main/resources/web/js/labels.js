// Human labels for the server's stable codes: order statuses ("partiallyFilled"), self-trade prevention modes
// ("expireMaker") and error or rejection codes ("UNKNOWN_ORDER"). The page shows the label and keeps the code in the
// element's title, so that a trader reads "Partially filled" and can still quote the exact code the API documents.

import { el } from './dom.js';

// Words a plain capitalisation would spell wrongly: abbreviations, and the hyphenated order flags.
const WORDS = new Map([
    ['http', 'HTTP'],
    ['json', 'JSON'],
    ['gtc', 'GTC'],
    ['ioc', 'IOC'],
    ['fok', 'FOK'],
    ['usdc', 'USDC'],
    ['websocket', 'WebSocket'],
]);
const PHRASES = [
    [/\bpost only\b/g, 'post-only'],
    [/\breduce only\b/g, 'reduce-only'],
];

/**
 * "UNKNOWN_ORDER" -> "Unknown order", "partiallyFilled" -> "Partially filled", "expireMaker" -> "Expire maker",
 * "HTTP_502" -> "HTTP 502". Any code the page does not know yet still reads as words, so a new server code needs no
 * change here.
 */
export function codeLabel(code)
{
    const text = String(code === undefined || code === null ? '' : code);
    if (text === '')
    {
        return '';
    }
    const words = text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[_\s]+/).filter((word) => word !== '')
        .map((word) => word.toLowerCase());
    let phrase = words.join(' ');
    for (const [pattern, replacement] of PHRASES)
    {
        phrase = phrase.replace(pattern, replacement);
    }
    const spelled = phrase.split(' ').map((word) => WORDS.get(word) || word).join(' ');
    return spelled.charAt(0).toUpperCase() + spelled.slice(1);
}

/** An element showing a code's label, the code itself in its title and data-code. */
export function codeElement(tag, attributes, code, prefix = '')
{
    return el(tag, { ...attributes, title: String(code), 'data-code': String(code) }, prefix + codeLabel(code));
}
