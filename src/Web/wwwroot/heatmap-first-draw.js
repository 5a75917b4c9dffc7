// Draws the prerendered heatmap before the circuit starts. The server's prerender writes the figure it projected
// (HeatmapChart.razor, #heatmap-figure); without this, the first draw waited for the circuit to connect, read the
// sweep again and render, and only then for plotly.js to load. The circuit's chart redraws the same figure when it
// renders, so this draw only makes it visible sooner; nothing here is needed for the page to work.
//
// plotly.js is loaded through Plotly.Blazor's own interop module (the same module instance the chart imports later,
// since modules are cached by URL), with the element id and path its importScript uses: the chart then finds the
// script already there and loaded, instead of inserting and parsing a second copy of plotly.js.
const interopPath = './_content/Plotly.Blazor/plotly-interop-7.2.0.js';
const plotlyPath = './_content/Plotly.Blazor/plotly-3.7.0.min.js';

// Started from the page's head (async): plotly.js loads while the rest of the page arrives and parses.
const plotlyLoaded = import(interopPath).then(interop => interop.importScript('plotly-import', plotlyPath));
plotlyLoaded.catch(() => { }); // a page without a figure does not wait for it; the chart's own load reports a failure

function parsed() {
    return document.readyState === 'loading'
        ? new Promise(resolve => document.addEventListener('DOMContentLoaded', resolve, { once: true }))
        : Promise.resolve();
}

async function drawFirst() {
    await parsed();
    const figure = document.getElementById('heatmap-figure');
    const chart = document.getElementById('heatmap');
    if (!figure || !chart || chart.closest('[hidden]')) {
        return;
    }

    await plotlyLoaded;

    // The circuit may have rendered in the meantime: its chart is then a new element, and draws itself.
    if (!figure.isConnected || document.getElementById('heatmap') !== chart || !window.Plotly) {
        return;
    }

    const { data, layout, config } = JSON.parse(figure.textContent);
    await window.Plotly.newPlot(chart, data, layout, config);
    const clicks = await import('./heatmap-click.js');
    clicks.listen(chart);
    keepDrawn(figure, chart, next => window.Plotly.newPlot(next, data, layout, config).then(() => clicks.listen(next)));
}

// When the circuit renders, the prerendered figure goes, and Blazor may put a new element in the chart's place, which
// stays empty until the circuit's draw arrives over the socket. The figure already here is drawn into such an
// element at once, and listens to clicks; the circuit's draw then replaces it with its own (bench page prints how
// long the heatmap stays blank). The watch ends with that render: a later page's chart is never drawn from here.
function keepDrawn(figure, prerendered, redraw) {
    const page = location.pathname;
    const settle = () => {
        const chart = document.getElementById('heatmap');
        if (location.pathname === page && chart && chart !== prerendered && !chart.querySelector('g.hm') && !chart.closest('[hidden]')) {
            redraw(chart).catch(error => console.warn('heatmap: the redraw is left to the circuit', error));
        }
    };
    if (!figure.isConnected) {
        settle(); // the circuit rendered while the first draw was under way
        return;
    }

    const watch = new MutationObserver(() => {
        if (!figure.isConnected) {
            watch.disconnect();
            settle();
        }
    });
    watch.observe(document.body, { childList: true, subtree: true });
    setTimeout(() => watch.disconnect(), 60_000);
}

drawFirst().catch(error => console.warn('heatmap: the first draw is left to the circuit', error));
