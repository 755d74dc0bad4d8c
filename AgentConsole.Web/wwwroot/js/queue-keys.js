// Keyboard for a queue list: j or ↓ moves to the next row, k or ↑ to the previous one, Enter or o opens it, x ticks it
// for a bulk review. The focused row is remembered by its decision, so rows arriving or leaving live do not move it.
export function register() {
    let focused = null;
    const rows = () => Array.from(document.querySelectorAll('[data-testid=queue-row]'));
    const show = row => {
        for (const r of rows()) {
            r.toggleAttribute('data-focused', r === row);
        }
        if (row) {
            focused = row.dataset.decisionId;
            row.scrollIntoView({ block: 'nearest' });
        }
    };
    const current = () => rows().findIndex(r => r.dataset.decisionId === focused);
    const handler = event => {
        if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest('input, textarea, select, [contenteditable]')) {
            return;
        }
        const all = rows();
        const at = current();
        switch (event.key) {
            case 'j':
            case 'ArrowDown':
                show(all[Math.min(at + 1, all.length - 1)]);
                break;
            case 'k':
            case 'ArrowUp':
                show(all[Math.max(at - 1, 0)]);
                break;
            case 'Enter':
            case 'o':
                if (at < 0) {
                    return;
                }
                all[at].querySelector('[data-testid=decision-link]')?.click();
                break;
            case 'x':
                if (at < 0) {
                    return;
                }
                all[at].querySelector('[data-testid=select-row]')?.click();
                break;
            default:
                return;
        }
        event.preventDefault();
    };
    document.addEventListener('keydown', handler);
    return { dispose: () => document.removeEventListener('keydown', handler) };
}
