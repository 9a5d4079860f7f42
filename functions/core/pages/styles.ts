/**
 * The one style sheet of every page, inlined: the pages load no external asset. Logical properties
 * (inline-start/end) make the same rules work left to right and right to left. Colour pairs are at least
 * 4.5:1 (WCAG AA); the focus ring is yellow inside black, visible on both light and dark backgrounds.
 */
export const pageStyles = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;background:#f3f4f6;color:#1b1f24;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Sans SC","PingFang SC","Microsoft YaHei",Tahoma,Arial,sans-serif;line-height:1.5}
:lang(ar) body,body:lang(ar){line-height:1.7}
a{color:#0b5cad;text-underline-offset:.15em}
a:hover{color:#073d74;text-decoration-thickness:2px}
:focus-visible{outline:3px solid #ffbf47;outline-offset:0;box-shadow:0 0 0 6px #0b0c0c}
a:focus-visible{background:#ffbf47;color:#0b0c0c;text-decoration:none}
.wrap{max-width:60rem;margin:0 auto;padding-inline:1rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}
.skip-link{position:absolute;inset-inline-start:1rem;top:-10rem;z-index:10;padding:.5rem 1rem;background:#ffbf47;color:#0b0c0c;font-weight:700}
.skip-link:focus{top:.5rem}
.site-header{background:#0b3d6b;color:#fff;padding:.75rem 0}
.site-header .wrap{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1.5rem}
.site-name{margin:0;font-size:1.25rem;font-weight:700}
.site-name a{color:#fff;text-decoration:none}
.lang-switch{display:flex;flex-wrap:wrap;gap:.25rem .75rem;margin:0;padding:0;list-style:none}
.lang-switch a,.lang-switch [aria-current]{display:inline-block;padding:.25rem .4rem;color:#fff}
.lang-switch [aria-current]{font-weight:700;border-bottom:3px solid #ffbf47}
.lang-switch a:focus-visible{color:#0b0c0c}
body{display:flex;flex-direction:column;min-height:100vh}
main{display:block;flex:1 0 auto;width:100%;padding-top:1.5rem;padding-bottom:2.5rem}
main:focus{outline:none}
h1{font-size:2rem;line-height:1.25;margin:0 0 1rem}
h2{font-size:1.5rem;line-height:1.3;margin:2rem 0 .75rem}
h3{font-size:1.25rem;margin:1.5rem 0 .5rem}
h4{font-size:1.05rem;margin:1.25rem 0 .5rem;color:#333c45}
p{margin:0 0 1rem;max-width:45rem}
.lead{font-size:1.15rem}
.panel{background:#fff;border:1px solid #c9ced6;border-radius:6px;padding:1.25rem 1.5rem;margin:0 0 1.5rem}
fieldset{border:1px solid #c9ced6;border-radius:6px;background:#fff;margin:0 0 1.5rem;padding:1rem 1.5rem 1.25rem;min-width:0}
legend{font-size:1.35rem;font-weight:700;padding:0 .4rem}
.legend-heading h2,.legend-heading h3{margin:0;font-size:inherit}
section > fieldset:first-child,section > form:first-child{margin-top:2rem}
.field{margin:0 0 1.25rem}
.field > label,.label{display:block;font-weight:700;margin-bottom:.25rem}
.hint{display:block;color:#4a5560;margin:0 0 .35rem;font-size:.95rem}
input[type=text],input[type=email],select{display:block;width:100%;max-width:32rem;min-height:2.75rem;padding:.4rem .6rem;font:inherit;color:#1b1f24;background:#fff;border:2px solid #5b6672;border-radius:4px}
input[dir=ltr]{text-align:left}
.link-action{display:inline-block;min-height:2.75rem;padding:.6rem 0;line-height:1.6}
.feed-url{max-width:40rem;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem}
.seat-links{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0 0}
input[type=checkbox]{flex:none;width:1.5rem;height:1.5rem;margin:.1rem 0 0;accent-color:#0b5cad}
.check{display:flex;align-items:flex-start;gap:.75rem;margin:0 0 .5rem}
.check label{font-weight:400;cursor:pointer}
.field--error{border-inline-start:5px solid #b3261e;padding-inline-start:1rem}
.field--error input[type=text],.field--error input[type=email],.field--error select{border-color:#b3261e}
.field-error{display:block;color:#b3261e;font-weight:700;margin:0 0 .35rem}
.error-summary{border:4px solid #b3261e;background:#fff;padding:1rem 1.5rem;margin:0 0 1.5rem;border-radius:4px}
.error-summary h2{margin:0 0 .5rem;font-size:1.35rem}
.error-summary ul{margin:0;padding-inline-start:1.25rem}
.error-summary a{color:#b3261e;font-weight:700}
.error-summary a:focus-visible{color:#0b0c0c}
.notice p,.message-box p{margin:0}
.notice{border-inline-start:6px solid #1e6b35;background:#e8f5ec;color:#123f20;padding:1rem 1.25rem;margin:0 0 1.5rem;font-weight:700;border-radius:4px}
.message-box{border-inline-start:6px solid #0b5cad;background:#fff;padding:1rem 1.25rem;margin:0 0 1.5rem;border-radius:4px}
.message-box--error{border-inline-start-color:#b3261e}
.button{display:inline-block;min-height:2.75rem;padding:.55rem 1.2rem;font:inherit;font-weight:700;line-height:1.4;color:#fff;background:#0b5cad;border:2px solid #0b5cad;border-radius:4px;cursor:pointer;text-decoration:none}
.button:hover{background:#073d74;border-color:#073d74;color:#fff}
.button:focus-visible{color:#fff}
.button--secondary{background:#fff;color:#0b5cad}
.button--secondary:hover{background:#e8f0fa;color:#073d74}
.button--secondary:focus-visible{color:#073d74}
.button--danger{background:#a4161a;border-color:#a4161a}
.button--danger:hover{background:#7a1013;border-color:#7a1013}
.button--large{font-size:1.2rem;padding:.75rem 1.5rem}
[hidden]{display:none!important}
.week{margin-top:1rem;border:1px solid #c9ced6;border-radius:6px;background:#f8f9fb}
.week > summary{cursor:pointer;padding:.6rem 1rem;list-style-position:inside}
.week > summary h2{display:inline;margin:0;font-size:1.15rem}
.week[open] > summary{border-bottom:2px solid #0b3d6b}
.week__count{font-weight:400;color:#4a5560;font-size:1rem}
.day{padding:0 1rem}
.day > h3{margin:1rem 0 .5rem;font-size:1.05rem;color:#333c45}
.kind{display:block;color:#4a5560;font-size:.9rem;margin:0 0 .25rem}
.filter{margin:.75rem 0;padding:.75rem 1rem;background:#f3f6fa;border-radius:6px}
.filter__title{font-weight:700;margin:0 0 .5rem}
.filter__fields{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
.filter__fields .field{margin:0}
.filter__shown{margin:.5rem 0 0}
.choice{margin:.5rem 0}
.choice__summary{font-weight:700;margin:0}
.choice__overlaps{color:#6b3a00;margin:.25rem 0 0;padding-inline-start:1.25rem}
.skip-inline{display:inline-block;margin:.25rem 0}
.sessions{list-style:none;margin:0;padding:0}
.session{display:flex;align-items:flex-start;gap:.75rem;padding:.85rem 1rem;margin:0 0 .75rem;background:#fff;border:1px solid #c9ced6;border-radius:6px}
.session--closed{background:#f3f4f6}
.session__body{flex:1;min-width:0}
.session__title{display:block;font-weight:700;font-size:1.05rem;margin:0 0 .35rem}
label.session__title{cursor:pointer}
.session--closed .session__title{color:#4a5560}
.times{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:0 0 .5rem;font-size:.95rem}
.times dt{color:#4a5560}
.times dd{margin:0}
.description{color:#333c45;font-size:.95rem;margin:.25rem 0 0}
.badge{display:inline-block;padding:.1rem .6rem;border-radius:999px;font-size:.9rem;font-weight:700;border:1px solid currentColor}
.badge--open,.badge--confirmed{color:#14532d;background:#e3f6e8}
.badge--waitlist,.badge--waitlisted,.badge--offered{color:#6b3a00;background:#fff4dc}
.badge--approval,.badge--pending{color:#4c1d95;background:#f1eafe}
.badge--closed,.badge--cancelled,.badge--rejected,.badge--expired{color:#374151;background:#e9ebee}
.next-step{margin:.5rem 0 0}
.actions{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin-top:.75rem}
.actions form{margin:0}
.offer{background:#fff4dc;border:1px solid #b36b00;border-radius:4px;padding:.6rem .9rem;margin:.5rem 0}
.offer p{margin:0 0 .25rem}
.details{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1.25rem;margin:0}
.details dt{font-weight:700}
.details dd{margin:0;overflow-wrap:anywhere}
.site-footer{border-top:1px solid #c9ced6;background:#fff;color:#333c45;padding:1.25rem 0;font-size:.95rem}
.site-footer p{margin:0}
@media (max-width:40rem){h1{font-size:1.6rem}.times,.details{grid-template-columns:1fr}.times dd{margin-bottom:.25rem}fieldset{padding:.75rem 1rem}}
@media (forced-colors:active){.badge{border:1px solid}.button{border:2px solid}}
`;
