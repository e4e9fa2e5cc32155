package svg

// MapCSS styles Map's output: a dark space background, faint grid, your
// planets green, other races' in one of OwnerColours stable colours
// (classes owner-0 … owner-11, see OwnerClass), uninhabited ones grey and
// unidentified ones as hollow dots, routes dashed, incoming groups in a
// warning colour. Lines keep one screen pixel of width at any zoom
// (non-scaling-stroke). A page hides planet names, say when zoomed out, by
// adding the class labels-off to the svg.
const MapCSS = `
.galaxy-map { display: block; width: 100%; height: auto; max-height: 90vh; overflow: hidden; background: #05070f; font-family: system-ui, sans-serif; }
.galaxy-map .space { fill: #05070f; }
.galaxy-map .grid-lines { fill: none; stroke: #1f2940; stroke-width: 1; vector-effect: non-scaling-stroke; }
.galaxy-map .axis text { fill: #7a86a3; }
.galaxy-map .scale-bar path { fill: none; stroke: #b7c0d8; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
.galaxy-map .scale-bar text { fill: #b7c0d8; }
.galaxy-map text { paint-order: stroke; stroke: #05070f; stroke-width: 0.18em; stroke-linejoin: round; }

.galaxy-map .planet .body { fill: var(--owner, #8a91a3); stroke: none; vector-effect: non-scaling-stroke; }
.galaxy-map .planet .label { fill: #d6dbe8; pointer-events: none; }
.galaxy-map.labels-off .planet .label { display: none; }
.galaxy-map .planet.mine { --owner: #3ddc84; }
.galaxy-map .planet.mine .label { fill: #9af0c0; font-weight: 600; }
.galaxy-map .planet.uninhabited { --owner: #6f7687; }
.galaxy-map .planet.unidentified .body { fill: none; stroke: #8a91a3; stroke-width: 1; }
.galaxy-map .planet.unidentified .label { fill: #7d8497; }
.galaxy-map .planet:hover .body, .galaxy-map .planet:focus-within .body, .galaxy-map .planet:focus .body { stroke: #ffffff; stroke-width: 2; }
.galaxy-map .planet:focus, .galaxy-map .planet a:focus { outline: none; }
.galaxy-map .planet a:focus-visible .body, .galaxy-map .planet:focus-visible .body { stroke: #ffd84d; stroke-width: 3; }
.galaxy-map .selected-ring { fill: none; stroke: #ffd84d; stroke-width: 2; vector-effect: non-scaling-stroke; }

.galaxy-map .owner-0 { --owner: #e6194b; }
.galaxy-map .owner-1 { --owner: #4363d8; }
.galaxy-map .owner-2 { --owner: #f58231; }
.galaxy-map .owner-3 { --owner: #911eb4; }
.galaxy-map .owner-4 { --owner: #42d4f4; }
.galaxy-map .owner-5 { --owner: #f032e6; }
.galaxy-map .owner-6 { --owner: #bfef45; }
.galaxy-map .owner-7 { --owner: #fabed4; }
.galaxy-map .owner-8 { --owner: #469990; }
.galaxy-map .owner-9 { --owner: #dcbeff; }
.galaxy-map .owner-10 { --owner: #9a6324; }
.galaxy-map .owner-11 { --owner: #fffac8; }

.galaxy-map .route { fill: none; stroke: var(--owner, #8a91a3); stroke-width: 1; stroke-dasharray: 4 3; opacity: 0.8; vector-effect: non-scaling-stroke; }
.galaxy-map .route.mine { --owner: #3ddc84; }
.galaxy-map .route.incoming { stroke: #ff4d4d; stroke-width: 1.5; opacity: 1; }
.galaxy-map .arrow.mine path { fill: #3ddc84; }
.galaxy-map .arrow.other path { fill: #8a91a3; }
.galaxy-map .arrow.incoming path { fill: #ff4d4d; }
.galaxy-map .fleet .marker { fill: var(--owner, #8a91a3); stroke: #05070f; stroke-width: 0.5; vector-effect: non-scaling-stroke; }
.galaxy-map .fleet.mine { --owner: #3ddc84; }
.galaxy-map .fleet.other .marker { stroke: #ffffff; }
.galaxy-map .fleet.incoming .marker { fill: #ff4d4d; stroke: #ffd84d; stroke-width: 1; }
.galaxy-map .fleet .badge { fill: #e8ebf3; }
.galaxy-map .fleet.incoming .badge { fill: #ff9c9c; font-weight: 700; }
`

// ChartCSS styles Chart's output: a line colour per series (classes
// series-0 … series-5, one per ChartSeriesColours) on a dark panel matching
// the map.
const ChartCSS = `
.turn-chart { display: block; width: 100%; max-width: 48rem; height: auto; font-family: system-ui, sans-serif; font-size: 12px; }
.turn-chart .chart-bg { fill: #0b0f1c; }
.turn-chart .chart-grid { fill: none; stroke: #263049; stroke-width: 1; }
.turn-chart text { fill: #b7c0d8; }
.turn-chart .chart-empty { fill: #7d8497; font-size: 14px; }
.turn-chart .line { fill: none; stroke: var(--series); stroke-width: 2; stroke-linejoin: round; }
.turn-chart .point { fill: var(--series); stroke: #0b0f1c; stroke-width: 1; }
.turn-chart .point:hover { r: 5; }
.turn-chart .swatch { fill: var(--series); }
.turn-chart .series-0 { --series: #3ddc84; }
.turn-chart .series-1 { --series: #42d4f4; }
.turn-chart .series-2 { --series: #f58231; }
.turn-chart .series-3 { --series: #f032e6; }
.turn-chart .series-4 { --series: #ffd84d; }
.turn-chart .series-5 { --series: #dcbeff; }
`

// CSS is MapCSS and ChartCSS together, for a page showing both.
const CSS = MapCSS + ChartCSS
