// The price chart: one step per market event (a trade or an oracle update), the last trade price as a line over a
// shaded area and the oracle price as a dashed line, both carried forward between their own updates. Events carry
// no wall-clock time, so the axis counts events rather than pretending to know when they happened. Numbers are
// converted to floating point here only to be drawn.

const MAX_POINTS = 300;
const COLOURS = {
    grid: '#1c2330',
    label: '#7c879b',
    trade: '#4c8dff',
    tradeFill: 'rgba(76, 141, 255, 0.16)',
    oracle: '#f3b33d',
    oracleFaint: 'rgba(243, 179, 61, 0.45)',
    text: '#0a0d13',
};

function niceStep(range, lines)
{
    const raw = range / lines;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const fraction = raw / power;
    const nice = fraction < 1.5 ? 1 : (fraction < 3 ? 2 : (fraction < 7 ? 5 : 10));
    return nice * power;
}

export class PriceChart
{
    constructor(canvas)
    {
        this.canvas = canvas;
        this.points = [];
        this.lastTrade = null;
        this.lastOracle = null;
        this.priceDecimals = 2;
        this.pending = false;
        new ResizeObserver(() => this.requestDraw()).observe(canvas.parentElement);
    }

    reset(priceDecimals, oraclePrice)
    {
        this.points = [];
        this.lastTrade = null;
        this.lastOracle = oraclePrice === null || oraclePrice === undefined ? null : Number(oraclePrice);
        this.priceDecimals = priceDecimals;
        this.requestDraw();
    }

    /** Trades that happened before the page opened, oldest first: their oracle prices are not known. */
    history(prices)
    {
        const oracle = this.lastOracle;
        this.points = prices.slice(-MAX_POINTS).map((price) => ({ trade: Number(price), oracle: null }));
        this.lastTrade = this.points.length ? this.points[this.points.length - 1].trade : null;
        if (oracle !== null && this.points.length)
        {
            this.points[this.points.length - 1].oracle = oracle;
        }
        this.requestDraw();
    }

    trade(price)
    {
        this.lastTrade = Number(price);
        this.push();
    }

    oracle(price)
    {
        this.lastOracle = Number(price);
        this.push();
    }

    push()
    {
        this.points.push({ trade: this.lastTrade, oracle: this.lastOracle });
        if (this.points.length > MAX_POINTS)
        {
            this.points.splice(0, this.points.length - MAX_POINTS);
        }
        this.requestDraw();
    }

    requestDraw()
    {
        if (!this.pending)
        {
            this.pending = true;
            requestAnimationFrame(() =>
            {
                this.pending = false;
                this.draw();
            });
        }
    }

    format(value)
    {
        return value.toLocaleString('en-US', {
            minimumFractionDigits: this.priceDecimals,
            maximumFractionDigits: this.priceDecimals,
        });
    }

    draw()
    {
        const canvas = this.canvas;
        const ratio = window.devicePixelRatio || 1;
        const width = canvas.clientWidth;
        const height = canvas.clientHeight;
        if (width === 0 || height === 0)
        {
            return;
        }
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
        const g = canvas.getContext('2d');
        g.setTransform(ratio, 0, 0, ratio, 0, 0);
        g.clearRect(0, 0, width, height);
        g.font = '11px ui-monospace, "DejaVu Sans Mono", monospace';

        const values = [];
        for (const point of this.points)
        {
            if (point.trade !== null) values.push(point.trade);
            if (point.oracle !== null) values.push(point.oracle);
        }
        if (this.lastOracle !== null) values.push(this.lastOracle);
        if (values.length === 0)
        {
            g.fillStyle = COLOURS.label;
            g.textAlign = 'center';
            g.fillText('Waiting for trades and oracle prices', width / 2, height / 2);
            return;
        }

        const left = 10;
        const right = width - 78;
        const top = 14;
        const bottom = height - 24;
        let min = Math.min(...values);
        let max = Math.max(...values);
        const pad = Math.max((max - min) * 0.12, Math.abs(max) * 0.0005, Math.pow(10, -this.priceDecimals));
        min -= pad;
        max += pad;
        const y = (value) => bottom - (value - min) / (max - min) * (bottom - top);
        // A single event is drawn as a level across the chart rather than as a dot at its left edge.
        const points = this.points.length === 1 ? [this.points[0], this.points[0]] : this.points;
        const slots = Math.max(points.length - 1, 1);
        const x = (index) => left + index / slots * (right - left);

        const step = niceStep(max - min, 5);
        g.strokeStyle = COLOURS.grid;
        g.fillStyle = COLOURS.label;
        g.lineWidth = 1;
        g.textAlign = 'left';
        g.textBaseline = 'middle';
        for (let level = Math.ceil(min / step) * step; level <= max; level += step)
        {
            const py = Math.round(y(level)) + 0.5;
            g.beginPath();
            g.moveTo(left, py);
            g.lineTo(right, py);
            g.stroke();
            g.fillText(this.format(level), right + 8, py);
        }
        g.textBaseline = 'alphabetic';
        g.fillText(this.points.length === 1 ? '1 event' : this.points.length + ' events', left, height - 7);

        if (this.lastOracle !== null)
        {
            // The oracle price in force, across the whole chart: its history before the page opened is not known.
            const py = Math.round(y(this.lastOracle)) + 0.5;
            g.strokeStyle = COLOURS.oracleFaint;
            g.setLineDash([2, 4]);
            g.beginPath();
            g.moveTo(left, py);
            g.lineTo(right, py);
            g.stroke();
            g.setLineDash([]);
        }
        this.drawSeries(g, points, 'trade', x, y, bottom);
        this.drawSeries(g, points, 'oracle', x, y, bottom);

        if (this.lastOracle !== null)
        {
            this.tag(g, this.lastOracle, y, right, width, COLOURS.oracle);
        }
        if (this.lastTrade !== null)
        {
            this.tag(g, this.lastTrade, y, right, width, COLOURS.trade);
        }
    }

    drawSeries(g, points, key, x, y, bottom)
    {
        const runs = [];
        let run = [];
        points.forEach((point, index) =>
        {
            if (point[key] === null)
            {
                if (run.length) runs.push(run);
                run = [];
            }
            else
            {
                run.push([x(index), y(point[key])]);
            }
        });
        if (run.length) runs.push(run);

        for (const line of runs)
        {
            if (line.length === 1)
            {
                line.push([line[0][0] + 2, line[0][1]]);
            }
            if (key === 'trade')
            {
                g.beginPath();
                g.moveTo(line[0][0], bottom);
                for (const [px, py] of line) g.lineTo(px, py);
                g.lineTo(line[line.length - 1][0], bottom);
                g.closePath();
                g.fillStyle = COLOURS.tradeFill;
                g.fill();
            }
            g.beginPath();
            line.forEach(([px, py], i) => (i === 0 ? g.moveTo(px, py) : g.lineTo(px, py)));
            g.strokeStyle = key === 'trade' ? COLOURS.trade : COLOURS.oracle;
            g.lineWidth = key === 'trade' ? 1.75 : 1.25;
            g.setLineDash(key === 'trade' ? [] : [5, 4]);
            g.stroke();
            g.setLineDash([]);
        }
    }

    tag(g, value, y, right, width, colour)
    {
        const py = Math.round(y(value));
        g.fillStyle = colour;
        g.beginPath();
        g.roundRect(right + 2, py - 9, width - right - 4, 18, 3);
        g.fill();
        g.fillStyle = COLOURS.text;
        g.textAlign = 'left';
        g.textBaseline = 'middle';
        g.fillText(this.format(value), right + 6, py);
        g.textBaseline = 'alphabetic';
    }
}
