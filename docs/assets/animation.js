// Animations on the page: each figure.convdemo-animation holds its SVG, every step drawn
// in a group (data-step: shown at that step only; data-from: from that step on), and
// its steps in words; the shared player (player.js) steps through them. What only moves
// (data-role: the window, the output cell being written) is drawn once, at step 1, and
// moved by the offsets the steps' JSON gives for each step.
import { Player } from "./player.js";

function attach(figure) {
  const stepsScript = figure.querySelector("script.convdemo-steps");
  const controls = figure.querySelector(".convdemo-player");
  if (!stepsScript || !controls) return;
  const { steps, moves = {} } = JSON.parse(stepsScript.textContent);
  const all = [...figure.querySelectorAll(".convdemo-stage .convdemo-step")];
  const movers = all.filter((group) => group.dataset.role && moves[group.dataset.role]);
  const groups = all.filter((group) => !movers.includes(group)).map((group) => ({
    group,
    only: group.dataset.step === undefined ? null : Number(group.dataset.step),
    from: group.dataset.from === undefined ? null : Number(group.dataset.from),
  }));
  const number = figure.querySelector(".convdemo-figure-number");
  controls.hidden = false;
  new Player(controls, {
    count: steps.length,
    label: number ? number.textContent.replace(/\.$/, "") : "Animation",
    describe: (step) => steps[step],
    show: (step) => {
      for (const { group, only, from } of groups) {
        const visible = only !== null ? only === step : from <= step;
        group.style.display = visible ? "inline" : "none";
      }
      for (const group of movers) {
        const [dx, dy] = moves[group.dataset.role][step];
        group.setAttribute("transform", `translate(${dx} ${dy})`);
        group.style.display = "inline";
      }
    },
  });
}

document.querySelectorAll("figure.convdemo-animation[data-steps]").forEach(attach);
