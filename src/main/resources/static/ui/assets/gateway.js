// Copy buttons: the page works without this script; it only adds the buttons that copy a snippet or a token.
(function () {
    'use strict';

    function copyText(text) {
        if (navigator.clipboard && window.isSecureContext) {
            return navigator.clipboard.writeText(text);
        }
        // Plain HTTP on a LAN address has no Clipboard API: fall back to a selected, hidden text area.
        return new Promise(function (resolve, reject) {
            var area = document.createElement('textarea');
            area.value = text;
            area.setAttribute('readonly', '');
            area.className = 'offscreen';
            document.body.appendChild(area);
            area.select();
            var copied = document.execCommand('copy');
            document.body.removeChild(area);
            if (copied) { resolve(); } else { reject(new Error('copy refused')); }
        });
    }

    document.addEventListener('DOMContentLoaded', function () {
        document.querySelectorAll('button[data-copy]').forEach(function (button) {
            var source = document.getElementById(button.getAttribute('data-copy'));
            var status = button.parentElement.querySelector('.copy-status');
            if (!source) { return; }
            button.hidden = false;
            button.addEventListener('click', function () {
                var text = source.textContent;
                copyText(text).then(function () {
                    if (status) { status.textContent = 'Copied to the clipboard.'; }
                }, function () {
                    if (status) { status.textContent = 'Could not copy: select the text and copy it by hand.'; }
                });
            });
        });
    });
}());
