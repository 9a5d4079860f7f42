/**
 * The registration page's programme, better with JavaScript (it works without: the filters are a GET
 * form, every week a <details>): the filters narrow the list at once, without a reload that would lose
 * what is ticked; the summary counts the chosen sessions with the language's plural forms (rendered by the
 * server, picked with Intl.PluralRules); and sessions chosen at the same time are named in a warning.
 */
export const programmeScript = `
(function () {
  var root = document.getElementById('programme');
  var summary = document.getElementById('choice-summary');
  var overlaps = document.getElementById('choice-overlaps');
  var programme = root && root.querySelector('[data-locale]');
  if (!root || !summary || !overlaps || !programme || !window.Intl) return;
  var locale = programme.getAttribute('data-locale');
  var forms = JSON.parse(summary.getAttribute('data-forms'));
  var rules = new Intl.PluralRules(locale);
  var numbers = new Intl.NumberFormat(locale);
  var template = overlaps.getAttribute('data-template');
  function worded(forms, n) {
    return n === 0 ? forms['=0'] : (forms[rules.select(n)] || forms.other).replace('#', numbers.format(n));
  }
  function titleOf(box) {
    var label = root.querySelector('label[for="' + box.id + '"]');
    return label ? label.textContent.trim() : box.value;
  }
  function update() {
    var boxes = root.querySelectorAll('input[name="sessionIds"]:checked');
    var n = boxes.length;
    summary.textContent = worded(forms, n);
    var chosen = [];
    for (var i = 0; i < boxes.length; i++) chosen.push({ title: titleOf(boxes[i]), start: Date.parse(boxes[i].getAttribute('data-start')), end: Date.parse(boxes[i].getAttribute('data-end')) });
    chosen.sort(function (a, b) { return a.start - b.start; });
    while (overlaps.firstChild) overlaps.removeChild(overlaps.firstChild);
    for (var a = 0; a < chosen.length; a++) {
      for (var b = a + 1; b < chosen.length && chosen[b].start < chosen[a].end; b++) {
        var item = document.createElement('li');
        var first = chosen[a].title, second = chosen[b].title;
        item.textContent = template.replace('%FIRST%', function () { return first; }).replace('%SECOND%', function () { return second; });
        overlaps.appendChild(item);
      }
    }
  }
  root.addEventListener('change', function (event) {
    if (event.target && event.target.name === 'sessionIds') update();
  });
  update();
  // The summary is the script's: without it, it would say "none chosen" whatever is ticked.
  summary.parentNode.hidden = false;

  var kind = document.getElementById('filter-kind');
  var week = document.getElementById('filter-week');
  var zone = document.getElementById('filter-zone');
  var form = document.getElementById('programme-filter');
  var shown = document.getElementById('filter-shown');
  if (!kind || !week || !zone || !form) return;
  function filter() {
    var count = 0;
    var weeks = root.querySelectorAll('details.week');
    for (var w = 0; w < weeks.length; w++) {
      var weekVisible = false;
      var days = weeks[w].querySelectorAll('section.day');
      for (var d = 0; d < days.length; d++) {
        var dayVisible = false;
        var items = days[d].querySelectorAll('li.session');
        for (var s = 0; s < items.length; s++) {
          var visible = (!kind.value || items[s].getAttribute('data-kind') === kind.value) && (!week.value || weeks[w].getAttribute('data-week') === week.value);
          items[s].hidden = !visible;
          if (visible) { dayVisible = true; count++; }
        }
        days[d].hidden = !dayVisible;
        if (dayVisible) weekVisible = true;
      }
      weeks[w].hidden = !weekVisible;
      if (week.value && weekVisible) weeks[w].open = true;
    }
    if (shown) shown.textContent = worded(JSON.parse(shown.getAttribute('data-forms')), count);
  }
  kind.addEventListener('change', filter);
  week.addEventListener('change', filter);
  // A zone shown is the zone of the form's own field: the page re-renders its times (localTimesScript),
  // so nothing typed or ticked is lost to a reload.
  var field = document.getElementById('field-timeZone');
  zone.addEventListener('change', function () {
    if (!field) return;
    var listed = false;
    for (var z = 0; z < field.options.length; z++) if (field.options[z].value === zone.value) listed = true;
    if (!listed) field.add(new Option(zone.value.replace(/_/g, ' '), zone.value), 0);
    field.value = zone.value;
    field.setAttribute('data-auto', 'false');
    field.dispatchEvent(new Event('change'));
  });
  form.addEventListener('submit', function (event) { event.preventDefault(); filter(); });
  var reloadNote = document.getElementById('filter-reload');
  if (reloadNote) reloadNote.hidden = true;
})();
`;
