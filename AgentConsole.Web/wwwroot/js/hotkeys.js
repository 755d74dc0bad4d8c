// Single-key shortcuts for reviewers: c claim, a approve, o override, r reject, e escalate;
// Ctrl+Enter (or Cmd+Enter) submits the open form, even from inside a text field.
export function register(dotnet) {
    return listen(event => {
        if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
            event.preventDefault();
            dotnet.invokeMethodAsync('OnHotkey', 'submit');
            return;
        }
        if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest('input, textarea, select, [contenteditable]')) {
            return;
        }
        const key = event.key.toLowerCase();
        if (['a', 'o', 'r', 'e', 'c'].includes(key)) {
            event.preventDefault();
            dotnet.invokeMethodAsync('OnHotkey', key);
        }
    });
}

// ? shows (and hides again) the page's list of shortcuts; Escape hides it. On a decision page, j, k and u follow the
// page's next-item, previous-item and back-to-queue links when it has them.
export function registerHelp() {
    const follow = { j: 'key-next', k: 'key-previous', u: 'key-up' };
    return listen(event => {
        if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest('input, textarea, select, [contenteditable]')) {
            return;
        }
        const link = follow[event.key] && document.querySelector(`[data-testid=${follow[event.key]}]`);
        if (link) {
            event.preventDefault();
            link.click();
            return;
        }
        const help = document.querySelector('[data-testid=shortcut-help]');
        if (!help) {
            return;
        }
        if (event.key === '?') {
            event.preventDefault();
            help.hidden = !help.hidden;
        } else if (event.key === 'Escape' && !help.hidden) {
            help.hidden = true;
        }
    });
}

function listen(handler) {
    document.addEventListener('keydown', handler);
    return { dispose: () => document.removeEventListener('keydown', handler) };
}

// Moves the keyboard to the form's first field after a mode was chosen, unless the person already
// went on into a field themselves: their typing must never land somewhere else.
export function focusIfIdle(selector) {
    const active = document.activeElement;
    if (active && active.closest('input, textarea, select, [contenteditable]')) {
        return;
    }
    document.querySelector(selector)?.focus();
}
