// The policy editor's textarea: a line-number gutter that scrolls with it, and jumping to a problem.
export function attach(textarea, gutter) {
    const render = () => {
        const lines = textarea.value.split('\n').length;
        if (gutter.dataset.lines !== String(lines)) {
            gutter.dataset.lines = String(lines);
            gutter.textContent = Array.from({ length: lines }, (_, i) => i + 1).join('\n');
        }
        gutter.scrollTop = textarea.scrollTop;
    };
    textarea.addEventListener('input', render);
    textarea.addEventListener('scroll', () => { gutter.scrollTop = textarea.scrollTop; });
    textarea.addEventListener('keydown', e => {
        // Tab indents by two spaces instead of leaving the editor.
        if (e.key === 'Tab' && !e.shiftKey) {
            e.preventDefault();
            const start = textarea.selectionStart;
            textarea.setRangeText('  ', start, textarea.selectionEnd, 'end');
            textarea.dispatchEvent(new Event('input', { bubbles: true }));
        }
    });
    render();
    return { refresh: render };
}

export function goTo(textarea, line, column) {
    const lines = textarea.value.split('\n');
    let index = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) {
        index += lines[i].length + 1;
    }
    index += Math.max(0, column - 1);
    textarea.focus();
    textarea.setSelectionRange(index, index);
    const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 18;
    textarea.scrollTop = Math.max(0, (line - 5) * lineHeight);
}
