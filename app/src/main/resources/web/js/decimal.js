// Exact decimal strings: the server sends and takes prices, sizes and money as decimal strings, so the page never
// turns them into binary floating point except to draw (chart and depth bars), where exactness does not matter.

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** How many decimals a step such as a tick size ("0.1") or a lot size ("0.0001") has. */
export function decimalsOf(step)
{
    const text = String(step);
    const dot = text.indexOf('.');
    return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * A decimal string as a whole number of units of 10^-decimals (BigInt), or null when it is not a decimal or has
 * non-zero digits beyond those decimals.
 */
export function toUnits(text, decimals)
{
    const match = DECIMAL.exec(String(text).trim());
    if (!match)
    {
        return null;
    }
    let fraction = match[3] || '';
    if (fraction.length > decimals)
    {
        if (/[^0]/.test(fraction.slice(decimals)))
        {
            return null;
        }
        fraction = fraction.slice(0, decimals);
    }
    const units = BigInt(match[2] + fraction.padEnd(decimals, '0'));
    return match[1] ? -units : units;
}

/** Units of 10^-decimals back to a plain decimal string with exactly that many decimals. */
export function fromUnits(units, decimals)
{
    const negative = units < 0n;
    const digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
    const whole = digits.slice(0, digits.length - decimals);
    const fraction = digits.slice(digits.length - decimals);
    return (negative ? '-' : '') + whole + (decimals > 0 ? '.' + fraction : '');
}

/**
 * For display: thousands separators, and at least minDecimals decimals (padded with zeros). Digits are never
 * dropped, so an amount finer than minDecimals still shows exactly. Anything that is not a decimal is shown as is.
 */
export function formatDecimal(text, minDecimals = 0, group = true)
{
    if (text === null || text === undefined || text === '')
    {
        return '—';
    }
    const match = DECIMAL.exec(String(text));
    if (!match)
    {
        return String(text);
    }
    const fraction = (match[3] || '').padEnd(minDecimals, '0');
    const whole = group ? match[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') : match[2];
    return match[1] + whole + (fraction ? '.' + fraction : '');
}

/** Money (USDC): two decimals at least, every further digit the server sent kept. */
export function formatMoney(text)
{
    return formatDecimal(text, 2);
}

/**
 * A number a person typed, for the server: a plain decimal in the server's form ("0050.50" -> "50.50", ".5" -> "0.5",
 * "-5." -> "-5"), the same number; anything else as typed, trimmed, so that the server refuses it and names what is
 * wrong rather than getting a number nobody typed ("1,5" stays "1,5", never 15). Null when nothing was typed.
 */
export function normaliseInput(text)
{
    const trimmed = String(text).trim();
    const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(trimmed);
    if (!match || (match[2] === '' && !match[3]))
    {
        return trimmed === '' ? null : trimmed;
    }
    const whole = match[2].replace(/^0+(?=\d)/, '') || '0';
    return match[1] + (match[3] ? whole + '.' + match[3] : whole);
}

/** Sign of a decimal string: -1, 0 or 1 (0 for anything that is not a decimal). */
export function signOf(text)
{
    const match = DECIMAL.exec(String(text));
    if (!match || /^0*$/.test(match[2] + (match[3] || '')))
    {
        return 0;
    }
    return match[1] ? -1 : 1;
}
