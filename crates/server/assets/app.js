// marsad dashboard — plain JavaScript written for marsad (no framework, no third-party code).
// Security rule: every piece of data reaches the page through textContent / createTextNode /
// setAttribute on a fixed attribute, never by parsing HTML strings, so article text such as
// `<script>` or `onerror=` is shown as text.
'use strict';
(function () {
  // ---------------------------------------------------------------- labels (Arabic first)
  const I18N = {
    ar: {
      tagline: 'مرصد الأخبار العربية', nav_overview: 'نظرة عامة', nav_search: 'بحث', nav_events: 'الأحداث',
      nav_actors: 'الفاعلون', nav_map: 'الخريطة', search_placeholder: 'ابحث في الأخبار…', search_button: 'بحث',
      footer: 'مرصد — يحلّل الأخبار العربية إلى كيانات وأحداث، بلا ترجمة آلية.', lang_other: 'English',
      documents: 'وثيقة', events: 'حدث', entities: 'كيان', sources: 'مصدر', period: 'الفترة',
      n_documents: 'الوثائق', n_events: 'الأحداث', n_entities: 'الكيانات', n_sources: 'المصادر',
      events_over_time: 'الأحداث عبر الزمن حسب الفئة الرباعية', docs_over_time: 'الوثائق عبر الزمن',
      top_actors: 'أنشط الفاعلين', top_dyads: 'أنشط الثنائيات', top_sources: 'المصادر', top_codes: 'أكثر أنواع الأحداث',
      no_events: 'لا توجد أحداث مرمّزة في قاعدة البيانات بعد.', loading: 'جارٍ التحميل…',
      q1: 'تعاون لفظي', q2: 'تعاون مادي', q3: 'صراع لفظي', q4: 'صراع مادي',
      results: 'نتيجة', searched_for: 'بُحث عن:', no_results: 'لا نتائج.', from: 'من تاريخ', to: 'إلى تاريخ',
      source: 'المصدر', any: 'الكل', apply: 'تطبيق', prev: 'السابق', next: 'التالي', page: 'صفحة',
      query: 'عبارة البحث', search_title: 'البحث في الأخبار', search_hint: 'اكتب كلمة أو اسمًا: تُطابَق الهمزات والتاء المربوطة والسوابق واللواحق وتهجئات الأسماء.',
      entity_types: 'الأنواع', PER: 'شخص', ORG: 'منظمة', LOC: 'مكان', MISC: 'أخرى',
      trigger: 'فعل الحدث', search_match: 'مطابقة البحث', doc_entities: 'الكيانات في النص', doc_events: 'الأحداث في النص',
      actor_code: 'رمز الفاعل', event_code: 'رمز الحدث', date: 'التاريخ', place: 'المكان', target: 'الهدف',
      actor: 'الفاعل', mood: 'الصيغة', document: 'الوثيقة', code: 'الرمز', type: 'النوع', name: 'الاسم',
      mentions: 'إشارة', timeline: 'الخط الزمني', network: 'شبكة التفاعلات', partners: 'يتفاعل مع',
      its_events: 'أحداثه', its_documents: 'وثائق تذكره', not_found: 'غير موجود', back: 'رجوع',
      export: 'تصدير', quad: 'الفئة', events_title: 'الأحداث المرمّزة', actors_title: 'الفاعلون والكيانات',
      map_title: 'خريطة مواقع الأحداث', map_note: 'إسقاط متساوي المستطيلات؛ الخطوط الساحلية تقريبية رسمها مؤلفو مرصد.',
      no_places: 'لا توجد أحداث ذات مواقع معروفة بعد.', name_filter: 'جزء من الاسم', open_article: 'فتح المقال',
      source_link: 'الرابط الأصلي', asserted: 'مؤكد', future: 'مستقبلي', negated: 'منفي', reported: 'منقول', conditional: 'مشروط',
      dyad_sep: '←', none: '—', unknown_entities: 'لم يُعثر على كيانات بعد (المرمِّز لم يُضف بعد).',
      as_source: 'فاعلًا', as_target: 'هدفًا', all_types: 'كل الأنواع',
      co_mentions: 'لا أحداث بعد: الخطوط تصل الكيانات التي تُذكر معه في الوثائق نفسها.', outside_map: 'خارج حدود الخريطة',
    },
    en: {
      tagline: 'Arabic news observatory', nav_overview: 'Overview', nav_search: 'Search', nav_events: 'Events',
      nav_actors: 'Actors', nav_map: 'Map', search_placeholder: 'Search the news…', search_button: 'Search',
      footer: 'marsad turns Arabic news into entities and events, natively, with no machine translation.', lang_other: 'العربية',
      documents: 'documents', events: 'events', entities: 'entities', sources: 'sources', period: 'Period',
      n_documents: 'Documents', n_events: 'Events', n_entities: 'Entities', n_sources: 'Sources',
      events_over_time: 'Events over time by QuadClass', docs_over_time: 'Documents over time',
      top_actors: 'Most active actors', top_dyads: 'Most active dyads', top_sources: 'Sources', top_codes: 'Most frequent event types',
      no_events: 'No coded events in the database yet.', loading: 'Loading…',
      q1: 'Verbal cooperation', q2: 'Material cooperation', q3: 'Verbal conflict', q4: 'Material conflict',
      results: 'results', searched_for: 'Searched for:', no_results: 'No results.', from: 'From', to: 'To',
      source: 'Source', any: 'Any', apply: 'Apply', prev: 'Previous', next: 'Next', page: 'Page',
      query: 'Query', search_title: 'Search the news', search_hint: 'Type a word or a name: hamza, ta marbuta, clitics and name spellings all match.',
      entity_types: 'Types', PER: 'Person', ORG: 'Organisation', LOC: 'Place', MISC: 'Other',
      trigger: 'Event trigger', search_match: 'Search match', doc_entities: 'Entities in the text', doc_events: 'Events in the text',
      actor_code: 'Actor code', event_code: 'Event code', date: 'Date', place: 'Place', target: 'Target',
      actor: 'Actor', mood: 'Mood', document: 'Document', code: 'Code', type: 'Type', name: 'Name',
      mentions: 'mentions', timeline: 'Timeline', network: 'Interaction network', partners: 'Interacts with',
      its_events: 'Its events', its_documents: 'Documents that mention it', not_found: 'Not found', back: 'Back',
      export: 'Export', quad: 'QuadClass', events_title: 'Coded events', actors_title: 'Actors and entities',
      map_title: 'Map of event locations', map_note: 'Equirectangular projection; coastlines are approximate, drawn by the marsad authors.',
      no_places: 'No events with known places yet.', name_filter: 'Part of the name', open_article: 'Open the article',
      source_link: 'Original link', asserted: 'asserted', future: 'future', negated: 'negated', reported: 'reported', conditional: 'conditional',
      dyad_sep: '→', none: '—', unknown_entities: 'No entities found yet (the coder has not added any).',
      as_source: 'as source', as_target: 'as target', all_types: 'All types',
      co_mentions: 'No events yet: lines join the entities mentioned in the same documents.', outside_map: 'Outside the map',
    },
  };
  // CAMEO root event classes (facts from the CAMEO codebook).
  const CAMEO = {
    '01': ['إدلاء ببيان علني', 'Make public statement'], '02': ['مناشدة', 'Appeal'],
    '03': ['إبداء نية التعاون', 'Express intent to cooperate'], '04': ['تشاور', 'Consult'],
    '05': ['تعاون دبلوماسي', 'Engage in diplomatic cooperation'], '06': ['تعاون مادي', 'Engage in material cooperation'],
    '07': ['تقديم مساعدة', 'Provide aid'], '08': ['تنازل', 'Yield'], '09': ['تحقيق', 'Investigate'],
    '10': ['مطالبة', 'Demand'], '11': ['استنكار', 'Disapprove'], '12': ['رفض', 'Reject'], '13': ['تهديد', 'Threaten'],
    '14': ['احتجاج', 'Protest'], '15': ['استعراض القوة', 'Exhibit force posture'], '16': ['تقليص العلاقات', 'Reduce relations'],
    '17': ['إكراه', 'Coerce'], '18': ['اعتداء', 'Assault'], '19': ['قتال', 'Fight'], '20': ['عنف جماعي غير تقليدي', 'Use unconventional mass violence'],
  };

  let lang = 'ar';
  try { lang = localStorage.getItem('marsad.lang') === 'en' ? 'en' : 'ar'; } catch (e) { /* private mode */ }
  const t = (k) => (I18N[lang] && I18N[lang][k]) || I18N.ar[k] || k;
  const cameoName = (code) => { const r = CAMEO[String(code || '').slice(0, 2)]; return r ? r[lang === 'ar' ? 0 : 1] : ''; };
  const fmt = (n) => Number(n || 0).toLocaleString(lang === 'ar' ? 'ar-u-nu-latn' : 'en-US');

  // ---------------------------------------------------------------- DOM helpers (no HTML parsing)
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    setAttrs(e, attrs);
    append(e, children);
    return e;
  }
  const SVGNS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVGNS, tag);
    setAttrs(e, attrs);
    append(e, children);
    return e;
  }
  function setAttrs(e, attrs) {
    if (!attrs) return;
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'on') { for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn); }
      else if (k === 'text') e.textContent = String(v);
      else if (k === 'href') e.setAttribute('href', safeHref(v));
      else if (k === 'style') e.style.cssText = String(v); // CSSOM: allowed by the CSP, inline style attributes are not
      else e.setAttribute(k, String(v));
    }
  }
  function append(e, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  // Only our own hash routes and http(s) links: never javascript: or data:.
  function safeHref(h) {
    const s = String(h);
    if (s.startsWith('#') || s.startsWith('/')) return s;
    try { const u = new URL(s); if (u.protocol === 'http:' || u.protocol === 'https:') return u.href; } catch (e) { /* not a URL */ }
    return '#';
  }
  const clear = (e) => { while (e.firstChild) e.removeChild(e.firstChild); return e; };
  const enc = encodeURIComponent;
  function qs(params) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') u.set(k, v);
    const s = u.toString();
    return s ? '?' + s : '';
  }
  async function api(path, params) {
    const r = await fetch('/api/' + path + qs(params), { headers: { Accept: 'application/json' } });
    let body = null;
    try { body = await r.json(); } catch (e) { /* not JSON */ }
    if (!r.ok) throw new Error((body && body.error && body.error.message) || ('HTTP ' + r.status));
    return body;
  }
  // a date or code inside Arabic text: isolated, left to right (else 2020-08-21 shows as 21-08-2020)
  const ltr = (s) => el('bdi', { dir: 'ltr' }, s);
  function metaLine(parts) {
    const out = [];
    parts.filter(Boolean).forEach((p, i) => { if (i) out.push(' · '); out.push(/^\d{4}-\d\d(-\d\d)?$/.test(p) ? ltr(p) : p); });
    return out;
  }
  const actorHref = (id) => '#/actor/' + enc(id);
  const docHref = (id, q) => '#/doc/' + enc(id) + (q ? qs({ q }) : '');

  // ---------------------------------------------------------------- tooltip
  const tip = document.getElementById('tip');
  function showTip(ev, rows) {
    clear(tip);
    rows.forEach((r, i) => {
      if (r === 'hr') { tip.appendChild(el('hr')); return; }
      tip.appendChild(el('div', { class: i === 0 || r.title ? 'tip-title' : 'tip-row' }, r.text || r));
    });
    tip.hidden = false;
    moveTip(ev);
  }
  function moveTip(ev) {
    const pad = 14, w = tip.offsetWidth, h = tip.offsetHeight;
    let x = ev.clientX + pad, y = ev.clientY + pad;
    if (x + w > window.innerWidth - 4) x = ev.clientX - w - pad;
    if (y + h > window.innerHeight - 4) y = ev.clientY - h - pad;
    tip.style.left = Math.max(4, x) + 'px';
    tip.style.top = Math.max(4, y) + 'px';
  }
  const hideTip = () => { tip.hidden = true; };
  function withTip(node, rowsFn) {
    node.addEventListener('mouseenter', (e) => showTip(e, rowsFn()));
    node.addEventListener('mousemove', moveTip);
    node.addEventListener('mouseleave', hideTip);
    return node;
  }

  // ---------------------------------------------------------------- charts (SVG, drawn here)
  const QUAD_COLORS = ['#6fb56f', '#22783b', '#eda23c', '#c73a32'];
  const ACCENT = '#0f5c6e';
  function legendQuads() {
    return el('div', { class: 'legend' }, [1, 2, 3, 4].map((q) => el('span', null, el('span', { class: 'sw q' + q }), t('q' + q))));
  }
  // rows: [{label, values:[...]}], stacked bars, time left → right.
  function stackedBars(rows, colors, opts) {
    const W = 760, H = (opts && opts.height) || 220, padL = 34, padB = 26, padT = 8, padR = 22;
    const max = Math.max(1, ...rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
    const n = Math.max(1, rows.length), bw = (W - padL - padR) / n;
    const s = svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img' });
    const y = (v) => H - padB - (v / max) * (H - padB - padT);
    s.appendChild(svg('line', { class: 'axis', x1: padL, x2: W - padR, y1: H - padB, y2: H - padB }));
    for (const v of [max, Math.round(max / 2)]) {
      s.appendChild(svg('line', { class: 'axis', x1: padL, x2: W - padR, y1: y(v), y2: y(v), 'stroke-dasharray': '3 3' }));
      s.appendChild(svg('text', { x: padL - 4, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v)));
    }
    const every = Math.max(1, Math.ceil(n / 12));
    rows.forEach((r, i) => {
      let acc = 0;
      const g = svg('g');
      r.values.forEach((v, k) => {
        if (!v) return;
        const y0 = y(acc), y1 = y(acc + v);
        acc += v;
        g.appendChild(svg('rect', { x: padL + i * bw + 1, y: y1, width: Math.max(1, bw - 2), height: Math.max(0.5, y0 - y1), fill: colors[k] }));
      });
      const total = r.values.reduce((a, b) => a + b, 0);
      withTip(g, () => [r.label, ...r.values.map((v, k) => (opts && opts.names ? opts.names[k] + ': ' : '') + fmt(v)).filter((_, k) => r.values[k]), fmt(total)]);
      g.appendChild(svg('rect', { x: padL + i * bw, y: padT, width: bw, height: H - padB - padT, fill: 'transparent' }));
      s.appendChild(g);
      if (i % every === 0) s.appendChild(svg('text', { x: padL + i * bw + bw / 2, y: H - 8, 'text-anchor': 'middle' }, r.label));
    });
    return s;
  }
  function barList(items, labelFn, countFn) {
    const max = Math.max(1, ...items.map(countFn));
    return el('ol', { class: 'bars' }, items.map((it) => el('li', null,
      el('div', null, el('div', { class: 'bar-label' }, labelFn(it)), el('div', { class: 'bar' }, el('span', { style: `width:${(100 * countFn(it) / max).toFixed(1)}%` }))),
      el('span', { class: 'n' }, fmt(countFn(it))))));
  }
  function entityLink(r) {
    if (!r) return t('none');
    const label = [r.name, r.actor ? el('span', { class: 'code' }, r.actor) : null];
    return r.id ? el('a', { href: actorHref(r.id) }, label) : el('span', null, label);
  }
  // months between two YYYY-MM, inclusive, so gaps show as empty bars
  function monthRange(a, b) {
    const out = [];
    let [y, m] = a.split('-').map(Number);
    const [y2, m2] = b.split('-').map(Number);
    for (let guard = 0; (y < y2 || (y === y2 && m <= m2)) && guard < 1200; guard++) {
      out.push(`${y}-${String(m).padStart(2, '0')}`);
      m++; if (m > 12) { m = 1; y++; }
    }
    return out;
  }
  // bucket monthly series by quarter/year when long
  function bucket(series) {
    if (!series.length) return [];
    const periods = monthRange(series[0].period, series[series.length - 1].period);
    const by = new Map(series.map((s) => [s.period, s.values]));
    const width = series[0].values.length;
    const step = periods.length > 120 ? 12 : periods.length > 36 ? 3 : 1;
    const out = [];
    for (let i = 0; i < periods.length; i += step) {
      const vals = new Array(width).fill(0);
      for (let j = i; j < Math.min(i + step, periods.length); j++) (by.get(periods[j]) || []).forEach((v, k) => { vals[k] += v; });
      const p = periods[i];
      const label = step === 12 ? p.slice(0, 4) : step === 3 ? p.slice(0, 4) + '-Q' + (Math.floor((+p.slice(5) - 1) / 3) + 1) : p;
      out.push({ label, values: vals });
    }
    return out;
  }

  // ---------------------------------------------------------------- views
  const view = document.getElementById('view');
  function loading() { clear(view).appendChild(el('p', { class: 'loading' }, t('loading'))); }
  function fail(e) { clear(view).appendChild(el('div', { class: 'error', role: 'alert' }, String(e && e.message ? e.message : e))); }
  const card = (title, ...body) => el('section', { class: 'card' }, title ? el('h2', null, title) : null, ...body);

  async function overview() {
    const s = await api('stats');
    const kpis = el('div', { class: 'grid kpis' },
      [['n_documents', s.documents], ['n_events', s.events], ['n_entities', s.entities], ['n_sources', s.sources]].map(([k, v]) =>
        el('div', { class: 'card kpi' }, el('div', { class: 'num' }, fmt(v)), el('div', { class: 'lbl' }, t(k)))),
      el('div', { class: 'card kpi' }, el('div', { class: 'num' }, ltr((s.first_date || '?').slice(0, 4) + '–' + (s.last_date || '?').slice(0, 4))),
        el('div', { class: 'lbl' }, t('period'), ' · ', ltr((s.first_date || '?') + ' → ' + (s.last_date || '?')))));
    let timeCard;
    if (s.events > 0) {
      const series = bucket(s.events_by_month.map((m) => ({ period: m.period, values: m.quads })));
      timeCard = card(t('events_over_time'), stackedBars(series, QUAD_COLORS, { names: [1, 2, 3, 4].map((q) => t('q' + q)) }), legendQuads());
    } else {
      const series = bucket(s.documents_by_month.map((m) => ({ period: m.period, values: [m.documents] })));
      timeCard = card(t('docs_over_time'), el('p', { class: 'note' }, t('no_events')), stackedBars(series, [ACCENT], { names: [t('n_documents')] }));
    }
    const quadTotals = card(t('quad'), barList([0, 1, 2, 3].map((i) => ({ q: i + 1, n: s.quad_totals[i] })),
      (x) => el('span', null, el('span', { class: 'tag q' + x.q }, String(x.q)), t('q' + x.q)), (x) => x.n));
    const actors = card(t('top_actors'), s.top_actors.length ? barList(s.top_actors, (a) => entityLink(a.entity), (a) => a.events) : el('p', { class: 'empty' }, t('no_events')));
    const dyads = card(t('top_dyads'), s.top_dyads.length ? barList(s.top_dyads, (d) => el('span', null, entityLink(d.source), el('span', { class: 'dyad-arrow' }, t('dyad_sep')), entityLink(d.target)), (d) => d.events) : el('p', { class: 'empty' }, t('no_events')));
    const sources = card(t('top_sources'), barList(s.top_sources, (x) => el('a', { href: '#/search' + qs({ source: x.name }) }, x.name), (x) => x.count));
    const codes = card(t('top_codes'), s.top_codes.length ? barList(s.top_codes, (x) => el('a', { href: '#/events' + qs({ code: x.name }) }, el('span', { class: 'code' }, x.name), ' ', cameoName(x.name)), (x) => x.count) : el('p', { class: 'empty' }, t('no_events')));
    clear(view).append(
      el('div', { 'data-view': 'overview' }, kpis,
        el('div', { class: 'grid two' }, timeCard, quadTotals),
        el('div', { class: 'grid halves', style: 'margin-top:16px' }, actors, dyads),
        el('div', { class: 'grid halves', style: 'margin-top:16px' }, codes, sources)));
  }

  function highlighted(text, spans, cls) {
    // spans: [[start,end]] in code points
    const cps = Array.from(text || '');
    const out = [];
    let at = 0;
    for (const [a, b] of (spans || []).slice().sort((x, y) => x[0] - y[0])) {
      if (a < at || b > cps.length || b <= a) continue;
      if (a > at) out.push(cps.slice(at, a).join(''));
      out.push(el('mark', { class: cls || null }, cps.slice(a, b).join('')));
      at = b;
    }
    if (at < cps.length) out.push(cps.slice(at).join(''));
    return out;
  }

  let sourcesCache = null;
  async function searchView(params) {
    const q = params.get('q') || '';
    const f = { from: params.get('from') || '', to: params.get('to') || '', source: params.get('source') || '', entity: params.get('entity') || '' };
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
    document.getElementById('q').value = q;
    if (!sourcesCache) { try { sourcesCache = (await api('stats')).top_sources.map((x) => x.name); } catch (e) { sourcesCache = []; } }
    const qIn = el('input', { type: 'search', name: 'q', value: q, maxlength: 200, placeholder: t('search_placeholder') });
    const fromIn = el('input', { type: 'date', name: 'from', value: f.from });
    const toIn = el('input', { type: 'date', name: 'to', value: f.to });
    const srcSel = el('select', { name: 'source' }, el('option', { value: '' }, t('any')),
      sourcesCache.map((s) => el('option', { value: s, selected: s === f.source ? 'selected' : null }, s)));
    const form = el('form', { class: 'filters', id: 'search-form', on: { submit: (e) => {
      e.preventDefault();
      location.hash = '#/search' + qs({ q: qIn.value.trim(), from: fromIn.value, to: toIn.value, source: srcSel.value, entity: f.entity });
    } } },
    el('label', null, t('query'), qIn), el('label', null, t('from'), fromIn), el('label', null, t('to'), toIn),
    el('label', null, t('source'), srcSel), el('button', { type: 'submit' }, t('search_button')));
    const box = el('div', { 'data-view': 'search' }, el('h1', null, t('search_title')), form);
    clear(view).append(box);
    if (!q) {
      box.append(el('p', { class: 'muted' }, t('search_hint')));
      if (f.source) { location.hash = '#/search' + qs({ q: ' ', source: f.source }); }
      return;
    }
    const r = await api('search', { q, ...f, offset, limit: 20 });
    const results = el('section', { class: 'card', id: 'results' });
    results.append(el('div', { class: 'terms' }, el('b', null, fmt(r.total)), ' ', t('results'), ' · ', t('searched_for'), r.terms.map((x) => el('span', { class: 'chip' }, x))));
    if (!r.hits.length) results.append(el('p', { class: 'empty' }, t('no_results')));
    results.append(el('ol', { class: 'hits' }, r.hits.map((h) => el('li', { class: 'hit', 'data-id': h.id },
      el('div', { class: 'hit-title' }, el('a', { href: docHref(h.id, q) }, highlighted(h.title || h.id, h.title_highlights))),
      el('div', { class: 'hit-meta' }, metaLine([h.source, h.dateline, h.date])),
      el('div', { class: 'hit-snippet' }, highlighted(h.snippet, h.highlights))))));
    results.append(pager(r.total, offset, 20, (o) => '#/search' + qs({ q, ...f, offset: o || '' })));
    box.append(results);
  }
  function pager(total, offset, limit, hrefFn) {
    if (total <= limit) return null;
    const pages = Math.ceil(total / limit), cur = Math.floor(offset / limit) + 1;
    return el('div', { class: 'pager' },
      offset > 0 ? el('a', { href: hrefFn(Math.max(0, offset - limit)) }, t('prev')) : null,
      el('span', { class: 'muted' }, `${t('page')} ${fmt(cur)} / ${fmt(pages)}`),
      offset + limit < total ? el('a', { href: hrefFn(offset + limit) }, t('next')) : null);
  }

  function eventRows(e) {
    return [
      { title: true, text: `${e.code} · ${cameoName(e.code)}` },
      `${t('q' + e.quad_class)} · Goldstein ${e.goldstein}`,
      e.source ? `${t('actor')}: ${e.source.name}${e.source.actor ? ' (' + e.source.actor + ')' : ''}` : null,
      e.target ? `${t('target')}: ${e.target.name}${e.target.actor ? ' (' + e.target.actor + ')' : ''}` : null,
      e.place ? `${t('place')}: ${e.place.name}` : null,
      e.date ? `${t('date')}: ${e.date}` : null,
      e.mood ? `${t('mood')}: ${t(e.mood)}` : null,
    ].filter(Boolean);
  }
  function entityRows(ent, date) {
    return [
      { title: true, text: ent.name + (ent.name_en ? ' — ' + ent.name_en : '') },
      `${t('type')}: ${t(ent.type)}`,
      ent.actor ? `${t('actor_code')}: ${ent.actor}` : null,
      ent.country ? ent.country : null,
      date ? `${t('date')}: ${date}` : null,
    ].filter(Boolean);
  }

  // The article with its annotations. Offsets are code points; the text is cut at every span
  // boundary and each piece becomes a text node (inside a <span> when annotated).
  function annotatedText(d, matches) {
    const cps = Array.from(d.text);
    const anns = [];
    for (const ent of d.entities) for (const m of ent.mentions) anns.push({ s: m.start, e: m.end, kind: 'ent', ent });
    for (const ev of d.events) anns.push({ s: ev.trigger.start, e: ev.trigger.end, kind: 'ev', ev });
    for (const [s, e] of matches || []) anns.push({ s, e, kind: 'q' });
    const cuts = new Set([0, cps.length]);
    for (const a of anns) {
      a.s = Math.max(0, Math.min(cps.length, a.s)); a.e = Math.max(a.s, Math.min(cps.length, a.e));
      cuts.add(a.s); cuts.add(a.e);
    }
    const pts = Array.from(cuts).sort((a, b) => a - b);
    const box = el('div', { class: 'doc-text', lang: 'ar', dir: 'rtl' });
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i], b = pts[i + 1];
      const piece = cps.slice(a, b).join('').replace(/\n/g, '\n\n');
      const on = anns.filter((x) => x.s <= a && x.e >= b && x.e > x.s);
      if (!on.length) { box.appendChild(document.createTextNode(piece)); continue; }
      const cls = ['ann'];
      const ent = on.find((x) => x.kind === 'ent');
      const ev = on.find((x) => x.kind === 'ev');
      if (ent) cls.push('e-' + ent.ent.type);
      if (ev) cls.push('ev', 'q' + ev.ev.quad_class);
      if (on.some((x) => x.kind === 'q')) cls.push('m-q');
      const attrs = { class: cls.join(' ') };
      if (ent) { attrs['data-entity'] = ent.ent.id; attrs['data-actor'] = ent.ent.actor || null; }
      if (ev) attrs['data-event'] = ev.ev.code;
      const span = el(ent && ent.ent.id ? 'a' : 'span', ent && ent.ent.id ? { ...attrs, href: actorHref(ent.ent.id) } : attrs, piece);
      withTip(span, () => {
        const rows = [];
        if (ent) rows.push(...entityRows(ent.ent, d.date));
        if (ev) { if (rows.length) rows.push('hr'); rows.push(...eventRows(ev.ev)); }
        if (!rows.length) rows.push({ title: true, text: t('search_match') });
        return rows;
      });
      box.appendChild(span);
    }
    return box;
  }

  async function docView(id, params) {
    const q = params.get('q') || '';
    const d = await api('documents/' + enc(id), q ? { q } : null);
    const head = el('div', { class: 'doc-head' },
      el('h1', { id: 'doc-title' }, d.title || d.id),
      el('div', { class: 'meta' }, metaLine([d.source, d.dateline, d.date]),
        d.url ? [' · ', el('a', { href: d.url, rel: 'noopener noreferrer nofollow', target: '_blank', class: 'ltr' }, t('source_link'))] : null));
    const legend = el('div', { class: 'legend' },
      ['PER', 'ORG', 'LOC', 'MISC'].map((k) => el('span', null, el('span', { class: 'sw e-' + k }), t(k))),
      el('span', null, el('b', { style: 'text-decoration:underline;text-decoration-thickness:3px' }, 'فعل'), ' ', t('trigger')),
      q ? el('span', null, el('span', { class: 'sw mk' }), t('search_match')) : null);
    const textCard = el('article', { class: 'card' }, head, legend, el('hr', { style: 'border:0;border-top:1px solid var(--line)' }), annotatedText(d, d.matches));
    const byType = {};
    for (const e of d.entities) (byType[e.type] = byType[e.type] || []).push(e);
    const ents = card(t('doc_entities'), d.entities.length ? el('ul', { class: 'ent-list' }, Object.keys(byType).sort().map((k) => byType[k].map((e) =>
      el('li', null, el('span', { class: 'tag ' + k }, t(k)), e.id ? el('a', { href: actorHref(e.id) }, e.name) : e.name,
        e.actor ? [' ', el('span', { class: 'code' }, e.actor)] : null, el('span', { class: 'muted' }, ` ×${e.mentions.length}`))))) : el('p', { class: 'empty' }, t('unknown_entities')));
    const evs = card(t('doc_events'), d.events.length ? el('ul', { class: 'ent-list' }, d.events.map((e) => withTip(el('li', null,
      el('span', { class: 'tag q' + e.quad_class }, e.code), entityLink(e.source), el('span', { class: 'dyad-arrow' }, t('dyad_sep')), entityLink(e.target),
      el('span', { class: 'muted' }, ' «' + e.trigger.text + '»', e.date ? [' · ', ltr(e.date)] : null)), () => eventRows(e)))) : el('p', { class: 'empty' }, t('no_events')));
    clear(view).append(el('div', { 'data-view': 'doc', 'data-id': d.id, class: 'grid two' }, textCard, el('div', { class: 'grid', style: 'align-content:start' }, ents, evs)));
  }

  function eventsTable(items) {
    if (!items.length) return el('p', { class: 'empty' }, t('no_events'));
    return el('div', { class: 'tbl-wrap' }, el('table', { class: 'tbl' },
      el('thead', null, el('tr', null, [t('date'), t('code'), t('actor'), t('target'), t('place'), t('trigger'), t('document')].map((h) => el('th', null, h)))),
      el('tbody', null, items.map((e) => withTip(el('tr', null,
        el('td', { class: 'nowrap' }, e.date ? ltr(e.date) : ''),
        el('td', null, el('span', { class: 'tag q' + e.quad_class }, e.code), ' ', cameoName(e.code)),
        el('td', null, entityLink(e.source)), el('td', null, entityLink(e.target)),
        el('td', null, e.place ? e.place.name : ''),
        el('td', null, e.trigger.text),
        el('td', null, el('a', { href: docHref(e.doc_id) }, e.doc_title || e.doc_id))), () => eventRows(e))))));
  }

  async function eventsView(params) {
    const f = {};
    for (const k of ['actor', 'code', 'quad', 'from', 'to', 'place']) f[k] = params.get(k) || '';
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
    const inputs = {
      actor: el('input', { type: 'text', value: f.actor, placeholder: 'IRQGOV', size: 12 }),
      code: el('input', { type: 'text', value: f.code, placeholder: '04', size: 5 }),
      quad: el('select', null, el('option', { value: '' }, t('any')), [1, 2, 3, 4].map((q) => el('option', { value: q, selected: String(q) === f.quad ? 'selected' : null }, q + ' · ' + t('q' + q)))),
      from: el('input', { type: 'date', value: f.from }), to: el('input', { type: 'date', value: f.to }),
      place: el('input', { type: 'text', value: f.place, size: 10 }),
    };
    const form = el('form', { class: 'filters', on: { submit: (e) => {
      e.preventDefault();
      const p = {}; for (const k of Object.keys(inputs)) p[k] = inputs[k].value.trim();
      location.hash = '#/events' + qs(p);
    } } }, Object.keys(inputs).map((k) => el('label', null, t(k === 'actor' ? 'actor' : k === 'quad' ? 'quad' : k), inputs[k])),
    el('button', { type: 'submit' }, t('apply')));
    const box = el('div', { 'data-view': 'events' }, el('h1', null, t('events_title')), form);
    clear(view).append(box);
    const r = await api('events', { ...f, offset, limit: 50 });
    box.append(card(null,
      el('div', { class: 'terms' }, el('b', null, fmt(r.total)), ' ', t('events'), ' · ', t('export'), ': ',
        el('a', { href: '/api/events' + qs({ ...f, format: 'csv' }) }, 'CSV'), ' · ', el('a', { href: '/api/events' + qs({ ...f, format: 'jsonl' }) }, 'JSONL')),
      eventsTable(r.items), pager(r.total, offset, 50, (o) => '#/events' + qs({ ...f, offset: o || '' }))));
  }

  async function actorsView(params) {
    const type = params.get('type') || '', q = params.get('q') || '';
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
    const typeSel = el('select', null, el('option', { value: '' }, t('all_types')), ['PER', 'ORG', 'LOC', 'MISC'].map((k) => el('option', { value: k, selected: k === type ? 'selected' : null }, t(k))));
    const qIn = el('input', { type: 'search', value: q, maxlength: 200 });
    const form = el('form', { class: 'filters', on: { submit: (e) => { e.preventDefault(); location.hash = '#/actors' + qs({ type: typeSel.value, q: qIn.value.trim() }); } } },
      el('label', null, t('type'), typeSel), el('label', null, t('name_filter'), qIn), el('button', { type: 'submit' }, t('apply')));
    const box = el('div', { 'data-view': 'actors' }, el('h1', null, t('actors_title')), form);
    clear(view).append(box);
    const r = await api('entities', { type, q, offset, limit: 50 });
    box.append(card(null, r.items.length ? el('div', { class: 'tbl-wrap' }, el('table', { class: 'tbl' },
      el('thead', null, el('tr', null, [t('name'), t('type'), t('actor_code'), t('n_events'), t('n_documents')].map((h) => el('th', null, h)))),
      el('tbody', null, r.items.map((e) => el('tr', null,
        el('td', null, el('a', { href: actorHref(e.id) }, e.name), e.name_en ? el('span', { class: 'muted' }, ' · ' + e.name_en) : null),
        el('td', null, el('span', { class: 'tag ' + e.type }, t(e.type))),
        el('td', null, e.actor ? el('span', { class: 'code' }, e.actor) : ''),
        el('td', null, fmt(e.events)), el('td', null, fmt(e.documents))))))) : el('p', { class: 'empty' }, t('unknown_entities')),
    pager(r.total, offset, 50, (o) => '#/actors' + qs({ type, q, offset: o || '' }))));
  }

  // Ego network: the actor in the middle, its partners on a circle; edge width = events,
  // edge colour = the QuadClass most of their events fall in.
  function network(center, partners, weight, coMentions) {
    const W = 680, H = 460, cx = W / 2, cy = H / 2, R = 165;
    const s = svg('svg', { class: 'net', viewBox: `0 0 ${W} ${H}`, role: 'img' });
    const ps = partners.slice(0, 18);
    const max = Math.max(1, ...ps.map(weight));
    const pos = ps.map((p, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, ps.length);
      return { p, x: cx + R * Math.cos(a), y: cy + R * Math.sin(a), a };
    });
    for (const { p, x, y } of pos) {
      const qi = p.quads.indexOf(Math.max(...p.quads));
      s.appendChild(withTip(svg('line', { x1: cx, y1: cy, x2: x, y2: y, stroke: coMentions ? '#98a2b3' : QUAD_COLORS[qi], 'stroke-width': 1.5 + 7 * weight(p) / max, 'stroke-opacity': 0.75, 'stroke-linecap': 'round', 'stroke-dasharray': coMentions ? '4 4' : null }),
        () => [p.entity.name, `${fmt(p.events)} ${t('events')} · ${fmt(p.documents)} ${t('documents')}`, `${t('as_source')}: ${fmt(p.as_source)} · ${t('as_target')}: ${fmt(p.as_target)}`, ...[0, 1, 2, 3].filter((k) => p.quads[k]).map((k) => `${t('q' + (k + 1))}: ${fmt(p.quads[k])}`)]));
    }
    for (const { p, x, y, a } of pos) {
      const r = 6 + 10 * Math.sqrt(weight(p) / max);
      const anchor = Math.abs(Math.cos(a)) < 0.3 ? 'middle' : Math.cos(a) > 0 ? 'start' : 'end';
      const lx = x + (r + 6) * Math.cos(a), ly = y + (r + 6) * Math.sin(a) + 4;
      const node = svg('a', { href: p.entity.id ? actorHref(p.entity.id) : '#' },
        svg('circle', { cx: x, cy: y, r, fill: '#fff', stroke: ACCENT, 'stroke-width': 2 }),
        svg('text', { x: lx, y: ly, 'text-anchor': anchor }, p.entity.name));
      s.appendChild(node);
    }
    s.appendChild(svg('circle', { cx, cy, r: 24, fill: ACCENT }));
    s.appendChild(svg('text', { x: cx, y: cy + 42, 'text-anchor': 'middle', class: 'center-label' }, center.name));
    return s;
  }

  async function actorView(id) {
    const a = await api('entities/' + enc(id));
    const head = el('div', { class: 'card' }, el('div', { class: 'profile' },
      el('h1', { style: 'margin:0' }, a.name), a.name_en ? el('span', { class: 'muted ltr' }, a.name_en) : null,
      el('span', { class: 'tag ' + a.type }, t(a.type)), a.actor ? el('span', { class: 'code' }, a.actor) : null, a.country && a.country !== a.actor ? el('span', { class: 'code' }, a.country) : null,
      el('span', { class: 'counts' }, `${fmt(a.events)} ${t('events')} · ${fmt(a.documents)} ${t('documents')} · ${fmt(a.mentions)} ${t('mentions')}`)));
    const tl = bucket(a.timeline.map((p) => ({ period: p.period, values: [p.events, p.documents] })));
    const timeline = card(t('timeline'), tl.length ? stackedBars(tl, [QUAD_COLORS[3], ACCENT], { height: 170, names: [t('n_events'), t('n_documents')] }) : el('p', { class: 'empty' }, t('none')),
      el('div', { class: 'legend' }, el('span', null, el('span', { class: 'sw', style: 'background:var(--q4)' }), t('n_events')), el('span', null, el('span', { class: 'sw', style: 'background:var(--accent)' }), t('n_documents'))));
    // partners across events; before any event, the entities it shares documents with
    const byEvents = a.partners.filter((p) => p.events > 0);
    const ps = byEvents.length ? byEvents : a.partners.filter((p) => p.documents > 0);
    const weight = byEvents.length ? (p) => p.events : (p) => p.documents;
    const net = card(t('network'), ps.length ? [network(a, ps, weight, !byEvents.length), byEvents.length ? legendQuads() : el('p', { class: 'muted' }, t('co_mentions'))] : el('p', { class: 'empty' }, t('no_events')));
    const partners = card(t('partners'), ps.length ? barList(ps.slice(0, 12), (p) => entityLink(p.entity), weight) : el('p', { class: 'empty' }, t('no_events')));
    const docs = card(t('its_documents'), el('ul', { class: 'ent-list' }, a.latest_documents.map((d) => el('li', null, el('a', { href: docHref(d.id) }, d.title || d.id), el('span', { class: 'muted' }, ' · ', metaLine([d.source, d.date]))))));
    clear(view).append(el('div', { 'data-view': 'actor', 'data-id': a.id }, head,
      el('div', { class: 'grid two', style: 'margin-top:16px' }, net, el('div', { class: 'grid', style: 'align-content:start' }, partners, timeline)),
      el('div', { style: 'margin-top:16px' }, card(t('its_events'), eventsTable(a.latest_events))),
      el('div', { style: 'margin-top:16px' }, docs)));
  }

  async function mapView(params) {
    const f = {};
    for (const k of ['actor', 'code', 'quad', 'from', 'to']) f[k] = params.get(k) || '';
    const pts = await api('places', f);
    const M = window.MarsadMap;
    const s = M.base();
    const inMap = pts.filter((p) => M.inside(p.place.lon, p.place.lat));
    const outside = pts.filter((p) => !M.inside(p.place.lon, p.place.lat));
    const max = Math.max(1, ...pts.map((p) => p.events));
    inMap.slice().reverse().forEach((p, i) => {
      const [x, y] = M.project(p.place.lon, p.place.lat);
      const qi = p.quads.indexOf(Math.max(...p.quads));
      const r = 3 + 12 * Math.sqrt(p.events / max);
      s.appendChild(withTip(svg('a', { href: '#/events' + qs({ place: p.place.id }) }, svg('circle', { class: 'pt', cx: x, cy: y, r, fill: QUAD_COLORS[qi] })),
        () => [p.place.name, `${fmt(p.events)} ${t('events')}`, ...[0, 1, 2, 3].filter((k) => p.quads[k]).map((k) => `${t('q' + (k + 1))}: ${fmt(p.quads[k])}`)]));
      if (i >= inMap.length - 12) s.appendChild(svg('text', { class: 'pt-label', x: x + r + 2, y: y + 4 }, p.place.name));
    });
    clear(view).append(el('div', { 'data-view': 'map' }, el('h1', null, t('map_title')),
      card(null, pts.length ? null : el('p', { class: 'note' }, t('no_places')), s, legendQuads(), el('p', { class: 'muted', style: 'font-size:.8rem' }, t('map_note'))),
      pts.length ? el('div', { class: 'grid halves', style: 'margin-top:16px' },
        card(t('place'), barList(inMap.slice(0, 25), (p) => el('a', { href: '#/events' + qs({ place: p.place.id }) }, p.place.name), (p) => p.events)),
        outside.length ? card(t('outside_map'), barList(outside.slice(0, 25), (p) => el('a', { href: '#/events' + qs({ place: p.place.id }) }, p.place.name), (p) => p.events)) : null) : null));
  }

  // ---------------------------------------------------------------- routing
  function parseHash() {
    const h = location.hash.replace(/^#\/?/, '');
    const [path, query] = h.split('?');
    return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query || '') };
  }
  let renderSeq = 0;
  async function render() {
    const seq = ++renderSeq;
    document.body.removeAttribute('data-ready');
    hideTip();
    const { parts, params } = parseHash();
    const route = parts[0] || '';
    for (const a of document.querySelectorAll('.tabs a')) a.classList.toggle('active', a.getAttribute('data-route') === (route === 'doc' ? 'search' : route === 'actor' ? 'actors' : route));
    loading();
    try {
      if (route === '') await overview();
      else if (route === 'search') await searchView(params);
      else if (route === 'doc' && parts[1]) await docView(parts[1], params);
      else if (route === 'events') await eventsView(params);
      else if (route === 'actors') await actorsView(params);
      else if (route === 'actor' && parts[1]) await actorView(parts[1]);
      else if (route === 'map') await mapView(params);
      else throw new Error(t('not_found'));
    } catch (e) {
      if (seq === renderSeq) fail(e);
    }
    if (seq === renderSeq) {
      document.body.setAttribute('data-ready', route || 'overview');
      window.__marsadRendered = performance.now();
    }
  }
  function applyLang() {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
    for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.getAttribute('data-i18n'));
    for (const n of document.querySelectorAll('[data-i18n-placeholder]')) n.setAttribute('placeholder', t(n.getAttribute('data-i18n-placeholder')));
    document.getElementById('lang').textContent = t('lang_other');
  }
  document.getElementById('lang').addEventListener('click', () => {
    lang = lang === 'ar' ? 'en' : 'ar';
    try { localStorage.setItem('marsad.lang', lang); } catch (e) { /* private mode */ }
    applyLang();
    render();
  });
  document.getElementById('quick-search').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = document.getElementById('q').value.trim();
    if (q) location.hash = '#/search' + qs({ q });
  });
  window.addEventListener('hashchange', render);
  applyLang();
  render();
})();
