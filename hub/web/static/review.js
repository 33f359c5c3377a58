// Keyboard helper of the review view (trapnet hub): j/k move between crops,
// x toggles the focused crop, a selects all, c confirms the selection,
// l jumps to the label field. Without it the form works with the mouse.
(function () {
  var crops = Array.prototype.slice.call(document.querySelectorAll('.crop'));
  var form = document.getElementById('review');
  if (!form || crops.length === 0) return;
  var at = 0;
  function focus(i) { at = Math.max(0, Math.min(crops.length - 1, i)); crops[at].focus(); }
  function box(i) { return crops[i].querySelector('input[type=checkbox]'); }
  focus(0);
  document.addEventListener('keydown', function (e) {
    if (e.target.tagName === 'INPUT' && e.target.type !== 'checkbox') return;
    switch (e.key) {
      case 'j': case 'ArrowRight': focus(at + 1); break;
      case 'k': case 'ArrowLeft': focus(at - 1); break;
      case 'x': case ' ': box(at).checked = !box(at).checked; break;
      case 'a': crops.forEach(function (c, i) { box(i).checked = true; }); break;
      case 'c': document.getElementById('confirm').click(); break;
      case 'l': document.getElementById('label').focus(); break;
      default: return;
    }
    e.preventDefault();
  });
})();
