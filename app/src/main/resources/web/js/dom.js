// Small DOM helpers: element building with text only (never HTML from the server), and toasts.

export function $(id)
{
    return document.getElementById(id);
}

/** An element with attributes (class, data-*, title, ...) and children (nodes or text). */
export function el(tag, attributes = {}, ...children)
{
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes))
    {
        if (value === null || value === undefined || value === false)
        {
            continue;
        }
        if (name.startsWith('on'))
        {
            node.addEventListener(name.slice(2), value);
        }
        else
        {
            node.setAttribute(name, value === true ? '' : String(value));
        }
    }
    for (const child of children)
    {
        if (child !== null && child !== undefined)
        {
            node.append(child instanceof Node ? child : String(child));
        }
    }
    return node;
}

const TOAST_MS = 6000;

/** kind: 'ok' | 'error' | 'info' */
export function toast(kind, title, text)
{
    const node = el('div', { class: 'toast ' + kind, role: kind === 'error' ? 'alert' : 'status' },
        el('strong', {}, title), text ? el('span', {}, text) : null);
    $('toasts').append(node);
    setTimeout(() => node.remove(), kind === 'error' ? TOAST_MS * 2 : TOAST_MS);
}

export function banner(text, isError)
{
    const node = $('banner');
    node.textContent = text || '';
    node.hidden = !text;
    node.classList.toggle('error', Boolean(isError));
}
