// Opens a heatmap cell's trial on click. Every heatmap trace carries, per cell, the id of the trial the cell shows
// in customdata ('' for a cell without trials); Plotly hands the clicked point to 'plotly_click' listeners.

function trialOf(point) {
    if (typeof point.customdata === 'string') {
        return point.customdata;
    }

    // Heatmap points name their cell as [row, column]; read the trace's own customdata where Plotly did not.
    const cells = point.data && point.data.customdata;
    if (Array.isArray(cells) && Array.isArray(point.pointNumber)) {
        const [row, column] = point.pointNumber;
        return (cells[row] || [])[column];
    }

    return undefined;
}

// On a shared page (/s/{token}) a cell opens the trial under the share link's own path, where the link grants reading;
// elsewhere the trial's own page. Relative to the document's base, like the trial table's links.
function trialPath(id) {
    const shared = window.location.pathname.match(/^\/s\/([^/]+)/);
    return shared ? `s/${shared[1]}/trials/${id}` : 'trials/' + id;
}

function openTrial(event) {
    const point = event && event.points && event.points[0];
    const id = point && trialOf(point);
    if (typeof id !== 'string' || id === '') {
        return;
    }

    // Blazor's navigation keeps the circuit and history like a link; a plain page load where Blazor is absent.
    const url = trialPath(id);
    if (window.Blazor && typeof window.Blazor.navigateTo === 'function') {
        window.Blazor.navigateTo(url);
    } else {
        window.location.assign(url);
    }
}

// Idempotent: the page calls it after every draw. Plotly gives the chart div on() only once it has drawn, which
// may be after this call, so it waits for that (up to ~20 s).
export function attach(id, tries = 200) {
    const chart = document.getElementById(id);
    if (!chart) {
        return;
    }

    if (typeof chart.on !== 'function') {
        if (tries > 0) {
            setTimeout(() => attach(id, tries - 1), 100);
        }
        return;
    }

    listen(chart);
    chart.dataset.clickable = 'true';
}

// Clicks on a chart Plotly has drawn, without marking it clickable: for the prerendered page's early draw
// (heatmap-first-draw.js), which the circuit's chart replaces. data-clickable says the circuit's chart listens.
export function listen(chart) {
    chart.removeListener('plotly_click', openTrial);
    chart.on('plotly_click', openTrial);
}
