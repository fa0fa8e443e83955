/**
 * The page's own script (plain ES2017, no template literals): reads the embedded JSON, builds one
 * card per product, draws each card's uPlot chart when it scrolls near the viewport, filters
 * cards as the search box changes, and draws the accuracy trend. Untrusted text reaches the DOM
 * through `textContent` only.
 *
 * `window.forecastReport` exposes the drawn charts (product id → uPlot instance) so a test can
 * count what was drawn.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var run = data.run;
  var products = data.products;
  var DAY = 86400;
  var CHART_HEIGHT = 170;
  var WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  var COLORS = {
    sold: '#475569',
    p50: '#2563eb',
    edge: 'rgba(37, 99, 235, 0.55)',
    band: 'rgba(37, 99, 235, 0.16)',
    wape: '#dc2626',
    bias: '#d97706',
    coverage: '#059669',
    mase: '#7c3aed'
  };

  function epochDay(iso) {
    var p = iso.split('-');
    return Date.UTC(Number(p[0]), Number(p[1]) - 1, Number(p[2])) / 1000;
  }
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  // One-line tick labels ("Jun 2"): the default two-line ones do not fit small charts.
  function dayTicks(u, splits) {
    return splits.map(function (s) {
      var d = new Date(s * 1000);
      return MONTHS[d.getUTCMonth()] + ' ' + d.getUTCDate();
    });
  }
  function isoDay(seconds) {
    var d = new Date(seconds * 1000);
    return WEEKDAYS[d.getUTCDay()] + ' ' + d.toISOString().slice(0, 10);
  }
  var nf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
  var nf2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  function num(v) {
    return v === null || v === undefined ? 'n/a' : nf.format(v);
  }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function utc(seconds) {
    return uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');
  }

  var charts = {};
  var registry = { charts: charts, accuracyChart: null, products: products.length };
  window.forecastReport = registry;

  var asOf = epochDay(run.asOf);

  function productData(p) {
    var h = p.history.length;
    var f = p.forecast.p50.length;
    var xs = [], sold = [], p10 = [], p50 = [], p90 = [];
    for (var i = 0; i < h; i++) {
      xs.push(asOf - (h - 1 - i) * DAY);
      sold.push(p.history[i]);
      p10.push(null);
      p50.push(null);
      p90.push(null);
    }
    for (var j = 0; j < f; j++) {
      xs.push(asOf + (j + 1) * DAY);
      sold.push(null);
      p10.push(p.forecast.p10[j]);
      p50.push(p.forecast.p50[j]);
      p90.push(p.forecast.p90[j]);
    }
    return [xs, sold, p10, p50, p90];
  }

  // The day's median (P50) and, where the forecast gives one, its mean (expected units).
  function readoutText(u, idx, p) {
    if (idx === null || idx === undefined) return '';
    var x = u.data[0][idx];
    if (u.data[1][idx] !== null) return isoDay(x) + ': sold ' + num(u.data[1][idx]);
    var day = idx - p.history.length;
    var mean = p.forecast.mean ? ', mean ' + num(p.forecast.mean[day]) : '';
    return (
      isoDay(x) + ': median (P50) ' + num(u.data[3][idx]) + mean + ' (P10 ' + num(u.data[2][idx]) +
      ' \u2013 P90 ' + num(u.data[4][idx]) + ')'
    );
  }

  // Days the models were fitted on with a replacement (outliers cleaned): how many, and the
  // most recent ones with the units sold and the units fitted instead.
  function outliersBox(o) {
    var box = el('details', 'outliers');
    var days = o.count === 1 ? ' day' : ' days';
    box.appendChild(
      el('summary', null, o.count + ' outlier' + days + ' replaced in the fit' +
        (o.recent.length < o.count ? ' (the last ' + o.recent.length + ' listed)' : ''))
    );
    var table = el('table');
    var head = el('tr');
    ['day', 'sold', 'fitted'].forEach(function (h, i) {
      head.appendChild(el('th', i > 0 ? 'num' : null, h));
    });
    table.appendChild(el('thead')).appendChild(head);
    var body = table.appendChild(el('tbody'));
    o.recent.forEach(function (d) {
      var row = el('tr');
      row.appendChild(el('td', null, d.date));
      row.appendChild(el('td', 'num', num(d.value)));
      row.appendChild(el('td', 'num', num(d.replacement)));
      body.appendChild(row);
    });
    box.appendChild(table);
    return box;
  }

  function drawProduct(card, p) {
    var target = card.querySelector('.chart');
    var readout = card.querySelector('.readout');
    var width = Math.max(240, target.clientWidth);
    var opts = {
      width: width,
      height: CHART_HEIGHT,
      tzDate: utc,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: {
        x: { time: true },
        y: {
          range: function (u, min, max) {
            return [0, max > 0 ? max * 1.1 : 1];
          }
        }
      },
      series: [
        {},
        { label: 'sold', stroke: COLORS.sold, width: 1.25, points: { show: false } },
        { label: 'P10', stroke: COLORS.edge, width: 1, dash: [3, 3], points: { show: false } },
        { label: 'P50 (median)', stroke: COLORS.p50, width: 2, points: { show: true, size: 4 } },
        { label: 'P90', stroke: COLORS.edge, width: 1, dash: [3, 3], points: { show: false } }
      ],
      bands: [{ series: [4, 2], fill: COLORS.band }],
      axes: [
        { size: 26, space: 56, gap: 2, font: '11px system-ui, sans-serif', values: dayTicks },
        { size: 40, gap: 2, font: '11px system-ui, sans-serif' }
      ],
      hooks: {
        setCursor: [
          function (u) {
            readout.textContent = readoutText(u, u.cursor.idx, p) || '\u00a0';
          }
        ]
      }
    };
    charts[p.id] = new uPlot(opts, productData(p), target);
    card.setAttribute('data-drawn', 'true');
  }

  // Product cards: all in the DOM (cheap), charts drawn only near the viewport.
  var grid = document.getElementById('product-grid');
  var cards = [];
  var byCard = new Map();
  var observer =
    'IntersectionObserver' in window
      ? new IntersectionObserver(
          function (entries) {
            entries.forEach(function (entry) {
              if (!entry.isIntersecting) return;
              observer.unobserve(entry.target);
              drawProduct(entry.target, byCard.get(entry.target));
            });
          },
          { rootMargin: '400px 0px' }
        )
      : null;

  var fragment = document.createDocumentFragment();
  products.forEach(function (p) {
    var card = el('article', 'card');
    card.setAttribute('data-product-id', p.id);
    var head = el('header', 'card-head');
    head.appendChild(el('span', 'pid', p.id));
    head.appendChild(el('span', 'pname', p.name || ''));
    card.appendChild(head);
    var meta = el('div', 'meta');
    if (p.category) meta.appendChild(el('span', 'tag', p.category));
    meta.appendChild(el('span', 'tag model', p.model));
    if (p.demandClass) meta.appendChild(el('span', 'tag', p.demandClass));
    if (p.fallbackReason) meta.appendChild(el('span', 'tag warn', 'fallback: ' + p.fallbackReason));
    card.appendChild(meta);
    // The expected total as the job computed it (forecastedDemand), never a sum of medians.
    card.appendChild(
      el('div', 'total', 'Next ' + p.forecast.p50.length + ' days: ' + num(p.forecastedDemand) + ' units expected')
    );
    if (p.outliers && p.outliers.count > 0) card.appendChild(outliersBox(p.outliers));
    // A level shift the models were fitted after: the history before it was left out.
    if (p.levelShift) {
      card.appendChild(
        el('div', 'shift', 'Level shift on ' + p.levelShift.date + ': ' + num(p.levelShift.before) +
          ' \u2192 ' + num(p.levelShift.after) + ' units a day; fitted on the days since')
      );
    }
    // A young product's week spread by the weekday profile its category's or catalogue's
    // products share, blended with its own weeks.
    if (p.weekdayProfile) {
      card.appendChild(
        el('div', 'weekday-profile', 'Weekly pattern from the ' +
          (p.weekdayProfile.source === 'category' ? 'category' : 'catalogue') +
          "'s products; its own few weeks count " +
          Math.round(p.weekdayProfile.ownWeight * 100) + ' %')
      );
    }
    var chart = el('div', 'chart');
    chart.style.height = CHART_HEIGHT + 'px';
    card.appendChild(chart);
    card.appendChild(el('div', 'readout', '\u00a0'));
    fragment.appendChild(card);
    cards.push(card);
    byCard.set(card, p);
  });
  grid.appendChild(fragment);
  cards.forEach(function (card) {
    if (observer) observer.observe(card);
    else drawProduct(card, byCard.get(card));
  });

  // Search: every term must occur in the id, name or category.
  var search = document.getElementById('product-search');
  var count = document.getElementById('product-count');
  var none = document.getElementById('product-none');
  var haystack = products.map(function (p) {
    return (p.id + '\n' + (p.name || '') + '\n' + (p.category || '')).toLowerCase();
  });
  function applySearch() {
    var terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    for (var i = 0; i < cards.length; i++) {
      var match = terms.every(function (t) { return haystack[i].indexOf(t) !== -1; });
      cards[i].hidden = !match;
      if (match) shown++;
    }
    count.textContent =
      shown === cards.length
        ? 'All ' + cards.length + ' products'
        : shown + ' of ' + cards.length + ' products match';
    none.hidden = shown > 0;
  }
  var pending = null;
  search.addEventListener('input', function () {
    clearTimeout(pending);
    pending = setTimeout(applySearch, 60);
  });
  search.addEventListener('search', applySearch);
  applySearch();

  var resizing = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      cards.forEach(function (card) {
        var u = charts[card.getAttribute('data-product-id')];
        if (u && !card.hidden) u.setSize({ width: Math.max(240, card.querySelector('.chart').clientWidth), height: CHART_HEIGHT });
      });
    }, 150);
  });

  // Accuracy trend: percentages on the left axis, MASE on the right.
  var accuracyTarget = document.getElementById('accuracy-chart');
  if (accuracyTarget && data.accuracy && data.accuracy.length > 0) {
    var pct = function (v) { return v === null || v === undefined ? null : v * 100; };
    var points = data.accuracy;
    var accuracyData = [
      points.map(function (a) { return epochDay(a.asOf); }),
      points.map(function (a) { return pct(a.wape); }),
      points.map(function (a) { return pct(a.bias); }),
      points.map(function (a) { return pct(a.coverage); }),
      points.map(function (a) { return a.mase === undefined ? null : a.mase; })
    ];
    var line = function (label, color, scale) {
      return { label: label, stroke: color, width: 2, scale: scale, points: { show: true, size: 6 }, value: function (u, v) { return v === null ? 'n/a' : nf.format(v) + (scale === '%' ? ' %' : ''); } };
    };
    registry.accuracyChart = new uPlot(
      {
        width: Math.max(320, accuracyTarget.clientWidth - 16),
        height: 260,
        tzDate: utc,
        legend: { live: false },
        scales: { x: { time: true }, '%': { auto: true }, mase: { auto: true } },
        series: [
          { value: function (u, v) { return v === null ? '' : isoDay(v); } },
          line('WAPE', COLORS.wape, '%'),
          line('bias', COLORS.bias, '%'),
          line('P10\u2013P90 coverage', COLORS.coverage, '%'),
          line('MASE', COLORS.mase, 'mase')
        ],
        axes: [
          { values: dayTicks },
          { scale: '%', label: 'percent', values: function (u, splits) { return splits.map(function (v) { return v + ' %'; }); } },
          { scale: 'mase', side: 1, label: 'MASE', grid: { show: false } }
        ]
      },
      accuracyData,
      accuracyTarget
    );
  }
})();
`;
