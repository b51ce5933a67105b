// The step player: Play/Pause, Previous step, Next step, a scrubber and a speed, for
// anything that shows one step at a time (the animations, the explorer's window).
//
// The player owns no drawing. It calls `show(step)` to draw a step and `describe(step)`
// for the sentence an aria-live line reads out, so what is heard is made from the same
// data as what is seen. Nothing starts moving by itself; a reader who asks for reduced
// motion gets no Play button at all, only the steps, which move when they ask.
//
// Usage:
//   import { Player } from "./player.js";
//   const player = new Player(controlsElement, { count, show, describe, label });
//   player.go(3);

const SPEEDS = [
  { label: "0.5×", stepsPerSecond: 1 },
  { label: "1×", stepsPerSecond: 2 },
  { label: "2×", stepsPerSecond: 4 },
];
const DEFAULT_SPEED = 1;

let instances = 0;

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

export function prefersReducedMotion() {
  return typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
}

export class Player {
  /**
   * @param {HTMLElement} root   where the controls go (emptied first)
   * @param {object} options
   * @param {number} options.count          how many steps (at least 1)
   * @param {(step: number) => void} options.show     draw step `step` (0-based)
   * @param {(step: number) => string} options.describe  the step in words
   * @param {string} options.label          what is being stepped, for the controls' names
   * @param {number} [options.start]        the first step shown (default 0)
   */
  constructor(root, { count, show, describe, label, start = 0 }) {
    this.root = root;
    this.count = Math.max(1, count);
    this.show = show;
    this.describe = describe;
    this.step = -1;
    this.timer = null;
    this.speed = DEFAULT_SPEED;
    const id = `convdemo-player-${++instances}`;
    root.replaceChildren();
    root.classList.add("convdemo-player");
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", `${label}: step controls`);

    const bar = element("div", { class: "convdemo-player-bar" });
    this.reduced = prefersReducedMotion();
    if (!this.reduced) {
      // Its name says what it will do: "Play", then "Pause" (no aria-pressed as well,
      // which would announce a toggle whose name also changes).
      this.playButton = element("button", { type: "button", class: "md-button" }, "Play");
      this.playButton.addEventListener("click", () => (this.timer ? this.pause() : this.play()));
      bar.append(this.playButton);
    }
    this.previousButton = element("button", { type: "button", class: "md-button" }, "Previous step");
    this.nextButton = element("button", { type: "button", class: "md-button" }, "Next step");
    this.previousButton.addEventListener("click", () => { this.pause(); this.go(this.step - 1); });
    this.nextButton.addEventListener("click", () => { this.pause(); this.go(this.step + 1); });
    bar.append(this.previousButton, this.nextButton);

    const scrub = element("label", { class: "convdemo-player-scrub", for: `${id}-step` });
    scrub.append(element("span", {}, "Step "));
    this.scrubber = element("input", {
      type: "range", id: `${id}-step`, min: "1", max: String(this.count), step: "1", value: "1",
    });
    this.scrubber.addEventListener("input", () => { this.pause(); this.go(Number(this.scrubber.value) - 1); });
    this.counter = element("output", { for: `${id}-step` });
    scrub.append(this.scrubber, this.counter);
    bar.append(scrub);

    if (!this.reduced) {
      const speedLabel = element("label", { class: "convdemo-player-speed", for: `${id}-speed` }, "Speed ");
      this.speedSelect = element("select", { id: `${id}-speed` });
      SPEEDS.forEach((speed, index) => {
        const option = element("option", { value: String(index) }, speed.label);
        if (index === DEFAULT_SPEED) option.selected = true;
        this.speedSelect.append(option);
      });
      this.speedSelect.addEventListener("change", () => {
        this.speed = Number(this.speedSelect.value);
        if (this.timer) { this.pause(); this.play(); }
      });
      speedLabel.append(this.speedSelect);
      bar.append(speedLabel);
    }
    this.live = element("p", { class: "convdemo-player-live", "aria-live": "polite" });
    root.append(bar, this.live);

    // Moving content stops when the reader cannot see it.
    document.addEventListener("visibilitychange", () => { if (document.hidden) this.pause(); });
    if (typeof IntersectionObserver === "function") {
      new IntersectionObserver((entries) => {
        if (entries.some((entry) => !entry.isIntersecting)) this.pause();
      }).observe(root);
    }
    this.go(start);
  }

  /** Show step `step`, clamped to the steps there are. */
  go(step) {
    const next = Math.min(this.count - 1, Math.max(0, step));
    if (next === this.step) return;
    this.step = next;
    this.show(next);
    this.scrubber.value = String(next + 1);
    this.counter.textContent = `${next + 1} of ${this.count}`;
    this.previousButton.disabled = next === 0;
    this.nextButton.disabled = next === this.count - 1;
    this.live.textContent = `Step ${next + 1} of ${this.count}: ${this.describe(next)}`;
  }

  /** Start over with `count` steps (what is stepped has changed) and show step `start`. */
  reset(count, start = 0) {
    this.pause();
    this.count = Math.max(1, count);
    this.scrubber.max = String(this.count);
    this.step = -1;
    this.go(start);
  }

  play() {
    if (this.reduced || this.timer) return;
    if (this.step === this.count - 1) this.go(0);
    const interval = 1000 / SPEEDS[this.speed].stepsPerSecond;
    this.timer = setInterval(() => {
      if (this.step >= this.count - 1) this.pause();
      else this.go(this.step + 1);
    }, interval);
    this.playButton.textContent = "Pause";
  }

  pause() {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    this.playButton.textContent = "Play";
  }
}
