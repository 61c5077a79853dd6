// The WebSocket feed (/v1/ws): public channels per market, private channels after an auth message, reconnects
// with back-off and subscribes again on every new connection (each subscription then starts with a snapshot).

const PRIVATE_CHANNELS = ['orders', 'fills', 'positions', 'balances', 'account'];
const PING_INTERVAL_MS = 15000;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 8000;

export class Feed
{
    /**
     * @param onMessage called with every parsed server message
     * @param onState   called with 'connecting' | 'live' | 'down' and a short text
     */
    constructor(onMessage, onState)
    {
        this.onMessage = onMessage;
        this.onState = onState;
        this.subscriptions = new Map();
        this.signer = null;
        this.socket = null;
        this.retryMs = RECONNECT_MIN_MS;
    }

    url()
    {
        return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/v1/ws';
    }

    connect()
    {
        this.onState('connecting', 'connecting');
        const socket = new WebSocket(this.url());
        this.socket = socket;
        socket.onopen = () =>
        {
            this.retryMs = RECONNECT_MIN_MS;
            this.onState('live', 'live');
            for (const subscription of this.subscriptions.values())
            {
                this.send({ op: 'subscribe', ...subscription });
            }
            this.authenticate();
            socket.pingTimer = setInterval(() => this.send({ op: 'ping' }), PING_INTERVAL_MS);
        };
        socket.onmessage = (event) =>
        {
            let message;
            try
            {
                message = JSON.parse(event.data);
            }
            catch (ignored)
            {
                return;
            }
            if (message.op === 'auth' && message.status === 'ok' && this.signer &&
                String(message.account) === this.signer.id)
            {
                // Only now: asked before the answer, a refused auth would bring a NOT_AUTHENTICATED per channel.
                for (const channel of PRIVATE_CHANNELS)
                {
                    this.send({ op: 'subscribe', channel });
                }
            }
            this.onMessage(message);
        };
        socket.onclose = (event) =>
        {
            clearInterval(socket.pingTimer);
            if (this.socket !== socket)
            {
                return;
            }
            const reason = event.reason ? ': ' + event.reason : '';
            this.onState('down', 'reconnecting' + reason);
            setTimeout(() => this.connect(), this.retryMs);
            this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
        };
    }

    send(message)
    {
        if (this.socket && this.socket.readyState === WebSocket.OPEN)
        {
            this.socket.send(JSON.stringify(message));
        }
    }

    subscribe(channel, market)
    {
        const subscription = { channel, market };
        this.subscriptions.set(channel + ' ' + market, subscription);
        this.send({ op: 'subscribe', ...subscription });
    }

    unsubscribe(channel, market)
    {
        this.subscriptions.delete(channel + ' ' + market);
        this.send({ op: 'unsubscribe', channel, market });
    }

    /** A fresh snapshot for one subscription: after a gap in its sequence. */
    resubscribe(channel, market)
    {
        this.send({ op: 'unsubscribe', channel, market });
        this.send({ op: 'subscribe', channel, market });
    }

    /**
     * The account whose private channels to follow (a Signer), or null. A change of account starts a new connection,
     * since the server binds a connection to the account it authenticated.
     */
    setAccount(signer)
    {
        const changed = this.signer !== null && this.signer !== signer;
        this.signer = signer;
        if (changed && this.socket)
        {
            const old = this.socket;
            this.socket = null;
            old.close();
            this.connect();
        }
        else
        {
            this.authenticate();
        }
    }

    async authenticate()
    {
        const signer = this.signer;
        if (!signer || !this.socket || this.socket.readyState !== WebSocket.OPEN)
        {
            return;
        }
        const timestamp = Date.now();
        const signature = await signer.sign(timestamp + '\nGET\n/v1/ws\n');
        if (signer !== this.signer)
        {
            return;
        }
        this.send({ op: 'auth', account: Number(signer.id), timestamp, signature });
    }
}
