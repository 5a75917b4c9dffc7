// The trial page's log panel: keeps the newest line in view while "Follow" is on.
export function scrollToEnd(element) {
    if (element) {
        element.scrollTop = element.scrollHeight;
    }
}
