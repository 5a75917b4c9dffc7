// Writes the heatmap's view into the address bar without navigating: the page keeps its circuit and state, and the
// URL can be bookmarked or shared. (A Blazor navigation would reload the statically routed page from the server.)
export function replaceUrl(url) {
    if (url !== window.location.href) {
        window.history.replaceState(window.history.state, '', url);
    }
}
