/// The one stylesheet: readable on a phone first, tables scroll inside their box.
enum Styles {
    static let css = """
    *{box-sizing:border-box}
    body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1c2430;background:#f5f6f8}
    a{color:#0b57b0}
    header.top{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;padding:.6rem 1rem;background:#9b1c1c;color:#fff}
    header.top a{color:#fff;text-decoration:none}
    .brand{font-weight:700;font-size:1.1rem}.brand span{font-weight:400;opacity:.85}
    header nav{display:flex;gap:1rem;flex-wrap:wrap}
    header .who{margin-left:auto;font-size:.9rem;display:flex;flex-wrap:wrap;gap:.25rem;align-items:center}
    header .who .muted{color:#f3d9d9}
    details.phone-menu{display:none}
    main{max-width:1200px;margin:0 auto;padding:1rem}
    h1{font-size:1.45rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .6rem}
    .muted{color:#5b6573}.small{font-size:.875rem}
    .prewrap{white-space:pre-wrap}
    .sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);border:0}
    ul.checks{list-style:none;padding:0;margin:.25rem 0}ul.checks li.met{color:#1e6b34}ul.checks li.unmet{color:#8a3b12}
    ol.reports,ol.library{list-style:none;padding:0}ul.plain{list-style:none;padding:0;margin:0}
    .figures{font-weight:600}
    .photos{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem}
    .photos figure{margin:0}.photos img{width:100%;height:auto;border-radius:6px;border:1px solid #dfe3e8}
    .photos figcaption{font-size:.85rem;color:#555}
    .row4{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:0 1rem}
    details>summary{cursor:pointer;font-weight:600;margin:.5rem 0}
    h2.h3{font-size:1.1rem;margin:0 0 .25rem}
    h1 .badge,h2 .badge,li .badge{margin-left:.5rem;vertical-align:middle}
    .row4 .field label{display:block}ul.bars.always{display:block}.filters .actions{align-self:end}
    .card{background:#fff;border:1px solid #dfe3e8;border-radius:8px;padding:1rem;margin:0 0 1rem}
    .grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(220px,1fr))}
    .stat{background:#fff;border:1px solid #dfe3e8;border-radius:8px;padding:.75rem 1rem}
    .stat b{display:block;font-size:1.6rem}
    a.stat{display:block;color:inherit;text-decoration:none}a.stat:hover,a.stat:focus{border-color:#0b57b0}
    a.stat.current{outline:3px solid #0b57b0}
    .status-groups{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,320px),1fr));margin:0 0 1rem}
    .status-groups .group{border-radius:10px;padding:.75rem;border:1px solid #dfe3e8}
    .group.submitted{background:#eef8f0}.group.pending{background:#fff7e8}
    .group-head{display:flex;gap:.75rem;align-items:center;justify-content:space-between;margin:0 0 .5rem;flex-wrap:wrap}
    .group .stats{display:grid;gap:.5rem;grid-template-columns:repeat(auto-fill,minmax(118px,1fr))}
    .group .stat{padding:.5rem .75rem}.group .stat b{font-size:1.3rem}
    .group .stat.big b{font-size:1.8rem}.stat.alarm b{color:#a61b1b}.stat.todo b{color:#0b57b0}
    .review-bar{border:2px solid #0b57b0}
    ol.initiatives{list-style:none;padding:0;margin:0 0 1rem}
    .initiative h3{margin:.25rem 0;font-size:1.05rem}
    .initiative .field{margin-top:.75rem}.initiative .field label{display:block;font-weight:600;margin:0 0 .25rem}
    .review-comment{white-space:pre-line}
    .note-line{white-space:pre-line}
    caption{text-align:left;padding:.25rem 0}
    .alert{padding:.75rem 1rem;border-radius:6px;margin:0 0 1rem;border:1px solid}
    .alert.ok{background:#eaf6ec;border-color:#9ed3a8}
    .alert.error{background:#fdecec;border-color:#f0a5a5;white-space:pre-line}
    .alert.warn{background:#fff6e0;border-color:#f0cf7a}
    .scroll{overflow-x:auto;max-width:100%}
    table{border-collapse:collapse;width:100%;background:#fff}
    th,td{border:1px solid #cfd5dc;padding:.4rem .5rem;text-align:left;vertical-align:top}
    th{background:#eef1f4;font-weight:600}
    td.num,th.num{text-align:center;white-space:nowrap}
    tr.total td{font-weight:700;background:#fafbfc}
    table.summary .short,p.legend{display:none}
    table.summary th{text-align:center;font-size:.85rem}
    table.list td{font-size:.95rem}
    .note{font-style:italic;font-size:.9rem;color:#5b6573}
    .badge{display:inline-block;padding:.1rem .5rem;border-radius:999px;font-size:.85rem;background:#e5e8ec;white-space:nowrap}
    .badge.waiting_review{background:#dbeafe}.badge.accepted{background:#d1f2da}.badge.no_model{background:#e5e8ec}
    .badge.returned{background:#fde2e2}.badge.draft{background:#fff1c9}.badge.not_started{background:#f1f2f4}
    .badge .late{color:#a61b1b;font-weight:600}
    form.inline{display:inline}
    form.caption{display:flex;gap:.5rem;align-items:flex-end;flex-wrap:wrap;margin:.3rem 0 .6rem}form.caption .field{flex:1 1 16rem;margin:0}
    form.stack label{display:block;font-weight:600;margin:.75rem 0 .25rem}
    form.stack .hint{font-weight:400;color:#5b6573;font-size:.875rem}
    input,select,textarea{font:inherit;padding:.5rem;border:1px solid #b8c0ca;border-radius:6px;width:100%;max-width:100%;background:#fff}
    input[type=checkbox],input[type=radio]{width:auto}
    textarea{min-height:5rem}
    .button,button{font:inherit;display:inline-block;padding:.5rem .9rem;border-radius:6px;border:1px solid #0b57b0;background:#0b57b0;color:#fff;cursor:pointer;text-decoration:none;margin:.15rem 0}
    .button.secondary{background:#fff;color:#0b57b0}
    .button.danger{background:#b42318;border-color:#b42318}
    .button.small{padding:.25rem .6rem;font-size:.875rem}
    .button.secondary.danger{background:#fff;color:#b42318;border-color:#b42318}
    html:not(.js) .js-only{display:none}
    fieldset{min-width:0}
    table.sector-rows input[type=text]{width:100%;min-width:14rem}table.sector-rows input.order{width:4.5rem}
    table.sector-rows td{vertical-align:middle}table.sector-rows .button{margin:0 .15rem}
    .tree-picker{border:1px solid #dfe3e8;border-radius:8px;padding:.5rem .75rem;margin:.5rem 0 1rem;background:#fff}
    ul.tree,ul.tree ul{list-style:none;margin:0;padding-left:1.25rem}ul.tree{padding-left:0;max-height:26rem;overflow:auto}
    ul.tree label{display:block;padding:.15rem 0}ul.tree small{color:#5b6573}
    ul.tree li.filtered-out,ul.tree li.out-of-scope{display:none}
    ul.tree li.scope-path>label{display:none}ul.tree li.scope-path>ul{padding-left:0}
    .tree-picker .count{font-weight:600;margin:.25rem 0}
    @media (max-width:640px){
      table.sector-rows,table.sector-rows tbody{display:block}table.sector-rows thead{display:none}
      table.sector-rows tr{display:grid;grid-template-columns:4.5rem minmax(0,1fr);gap:.25rem .5rem;padding:.5rem 0;border-bottom:1px solid #dfe3e8}
      table.sector-rows td{display:block;border:0;padding:0}
      table.sector-rows td:nth-child(3),table.sector-rows td:nth-child(4){grid-column:2}
      table.sector-rows input[type=text]{min-width:0}
    }
    button.link{background:none;border:none;color:inherit;text-decoration:underline;padding:0;margin:0 0 0 .5rem}
    .actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0}
    .filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0 1rem}
    .filters label{font-size:.85rem;font-weight:600}
    .filters input,.filters select{width:auto;min-width:9rem}.filters input[type=checkbox]{min-width:0}
    .pager{display:flex;gap:.5rem;align-items:center;margin:1rem 0}
    .reason{border-left:4px solid #b42318;padding:.5rem .75rem;background:#fff;margin:.5rem 0}
    .history li{margin:.2rem 0}
    form.audit-filters{display:block}.audit-filters .row3{display:grid;gap:.5rem 1rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,14rem),1fr));margin-bottom:.5rem}
    .audit-filters label{display:flex;flex-direction:column;gap:.15rem}.audit-filters input,.audit-filters select{width:100%;min-width:0}
    .history.audit>li{border-bottom:1px solid #eee;padding:.4rem 0}.history.audit p{margin:.2rem 0}.history-card{margin-top:1rem}
    table.changes td{vertical-align:top}.pre{white-space:pre-wrap;overflow-wrap:anywhere}h2.inline{display:inline;font-size:1.15rem}
    .deadline{font-weight:600}
    .chart text{font:12px system-ui,sans-serif}
    ul.tree{list-style:none;padding-left:1rem;border-left:1px dashed #cfd5dc}
    ul.tree.root{border-left:none;padding-left:0}
    .login{max-width:380px;margin:3rem auto}
    textarea.copy{min-height:4rem;font-size:.85rem}
    @media (max-width:640px){
      main{padding:.75rem}
      table.responsive thead{display:none}
      table.responsive,table.responsive tbody,table.responsive tr,table.responsive td{display:block;width:100%}
      table.responsive tr{border:1px solid #cfd5dc;border-radius:6px;margin:0 0 .75rem;background:#fff}
      table.responsive td{border:none;border-bottom:1px solid #eef1f4}
      table.responsive td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
      header.top{padding:.4rem .75rem;gap:.25rem .75rem;font-size:.9rem;flex-wrap:nowrap}
      header.top>nav:not(.public),header.top>.who{display:none}
      header.top .brand span{display:none}
      details.phone-menu{display:block;margin-left:auto;text-align:right}
      details.phone-menu>summary{cursor:pointer;padding:.2rem .5rem;border:1px solid #f3d9d9;border-radius:6px}
      details.phone-menu nav,details.phone-menu .who{display:flex;flex-direction:column;align-items:flex-end;gap:.35rem;margin:.5rem 0 0;background:#9b1c1c;color:#fff}
      details.phone-menu .who .muted{display:none}
      table.responsive caption{display:block;white-space:nowrap;text-align:left}
      table.responsive td.num{text-align:left}
      .pager{flex-wrap:nowrap;white-space:nowrap;font-size:.9rem}
      table.responsive.compact tr{display:flex;flex-wrap:wrap;gap:0 .5rem;padding:.25rem .5rem;margin:0 0 .25rem;line-height:1.3}
      table.responsive.compact td{border:0;padding:0;font-size:.85rem;width:auto;flex:1 1 28%}
      table.responsive.compact td:first-child{flex:1 1 55%;font-weight:600}
      table.responsive.compact td.status{flex:0 0 auto;text-align:right}
      table.responsive.compact td.status .badge{font-size:.75rem}
      .actions{gap:.35rem;margin:.6rem 0}.actions .button{padding:.35rem .6rem;font-size:.9rem}
      .card{padding:.6rem .75rem}.card h2{margin:.25rem 0 .4rem;font-size:1.1rem}.card p{margin:.35rem 0}
      .status-groups{gap:.5rem}.status-groups .group{padding:.5rem}
      .group .stat{padding:.3rem .5rem;display:flex;gap:.4rem;align-items:baseline}.group .stat b{font-size:1.1rem;display:inline}
      .group .stat.big b{font-size:1.4rem}
      table.responsive.compact td.status::before,table.responsive.compact td:first-child::before{content:none}
      table.responsive.compact td.aside{display:none}
      .status-groups .group .stats{grid-template-columns:repeat(2,minmax(0,1fr))}
      svg.chart{display:none}ul.bars{display:block}
      table.summary{font-size:.85rem}table.summary .long{display:none}table.summary .short{display:inline}p.legend{display:block}
    }
    .bars{display:none;margin:0;padding:0;list-style:none}
    .bars li{margin:0 0 .75rem}.bars .name{font-weight:600;display:block}
    .bars .bar{display:flex;align-items:center;gap:.4rem;font-size:.9rem}
    .bars .bar span.fill{display:inline-block;height:.8rem;border-radius:2px;min-width:2px}
    .bars .collective span.fill{background:#9b1c1c}.bars .individual span.fill{background:#0b57b0}
    \((0...20).map { ".bars .fill.w\($0 * 5){width:\(Double($0 * 5) * 0.6)%}" }.joined())
    fieldset{border:1px solid #dfe3e8;border-radius:8px;background:#fff;padding:.25rem 1rem 1rem;margin:0 0 1rem;min-width:0}
    legend{font-weight:700;padding:0 .35rem}
    .field-error{color:#b42318;margin:.25rem 0 0;font-size:.9rem;white-space:pre-line}
    .field.invalid input,.field.invalid textarea,.field.invalid select{border-color:#b42318;background:#fffafa}
    form.stack .field.check label,form.stack .choices label{font-weight:400;display:flex;gap:.5rem;align-items:baseline;margin:.5rem 0}
    form.stack .hint,p.hint{font-weight:400;color:#5b6573;font-size:.875rem}
    .row2{display:grid;align-items:start;gap:0 1rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,200px),1fr))}
    .crumbs{margin:0 0 .25rem}.crumbs a{text-decoration:none}
    .heading-row{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}
    .actions.end{justify-content:flex-end;margin:.75rem 0 0;border-top:1px solid #e3e7ec;padding-top:.5rem}.heading-row h2{margin:.25rem 0}.heading-row .actions{margin:.25rem 0}
    ul.units{list-style:none;padding:0;margin:.5rem 0}
    ul.units li{padding:.45rem 0;border-bottom:1px solid #eef1f4;overflow-wrap:anywhere}
    ul.units.card li{padding:.45rem 0}
    dl.facts{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.35rem 1rem;margin:0}
    dl.facts .fact{display:contents}dl.facts dt{font-weight:600}dl.facts dd{margin:0;min-width:0;overflow-wrap:anywhere}
    dl.facts ul,dl.facts ol{margin:0;padding-left:1.2rem}
    .letter{white-space:pre-line}
    .badge.state-open{background:#d1f2da}.badge.state-draft{background:#fff1c9}.badge.state-closed{background:#e5e8ec}.badge.state-archived{background:#e5e8ec}
    .overdue{color:#a61b1b;font-weight:600}
    td.wrap,.wrap{overflow-wrap:anywhere}
    pre.sample{background:#f5f6f8;border:1px solid #dfe3e8;border-radius:6px;padding:.5rem;overflow-x:auto;font-size:.85rem}
    ul.lines{margin:.25rem 0;padding-left:1.2rem}
    .filters input[type=search]{min-width:min(18rem,100%)}
    code{word-break:break-all}
    td.nowrap{white-space:nowrap}
    .card>h2:first-child{margin-top:0}
    .skip{position:absolute;left:-10000px;top:0;background:#fff;color:#1f5fa8;padding:.5rem 1rem;z-index:10;border:2px solid #1f5fa8}
    .skip:focus{left:1rem;top:.5rem}
    a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible,[tabindex]:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
    main:focus{outline:none}.alert[data-focus]:focus{outline:3px solid #f5a623}
    ::placeholder{color:#8a94a0;font-style:italic;opacity:1}.req{color:#b3261e;font-weight:normal;font-size:.9em}
    nav.tabs{display:flex;flex-wrap:wrap;gap:.25rem;margin:.5rem 0 1rem;border-bottom:1px solid #dfe3e8}
    nav.tabs .tab{padding:.4rem .8rem;border:1px solid transparent;border-bottom:0;border-radius:6px 6px 0 0;text-decoration:none}
    nav.tabs .tab.current{border-color:#dfe3e8;background:#fff;font-weight:600;margin-bottom:-1px}
    .badge.ok{background:#d1f2da}.badge.bad{background:#fde2e2}
    table.mail .address{overflow-wrap:anywhere}table.mail td.answer{min-width:14rem;max-width:22rem}
    @media (max-width:640px){table.mail td.answer{min-width:0;max-width:none}}
    @media (max-width:640px){
      dl.facts{grid-template-columns:1fr}dl.facts dd{margin:0 0 .5rem}
      .filters,.filters label{width:100%}.filters input[type=search]{width:100%}
    }
    """
}
