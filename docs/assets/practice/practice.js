// The practice page: one question at a time, drawn by questions.js from the explorer's
// arithmetic. The reader types y's shape or says PyTorch raises, and gets the worked
// answer and a link to the setting in the explorer. The score lives in this page's
// memory only; the address holds the set and the question (#seed=…&question=…), so a
// set can be shared. Nothing moves or changes unless the reader acts.
import { h } from "../explorer/dom.js";
import { formatPracticeHash, judge, parseAnswer, question, readHash, worked } from "./questions.js";

function randomSeed() {
  const values = new Uint32Array(1);
  crypto.getRandomValues(values);
  return values[0];
}

// A size of y and where it comes from; an axis's worked formula is set as code.
function workedLine(line) {
  const axis = /^([LHW]): (.*)$/.exec(line);
  return axis ? h("li", {}, `${axis[1]}: `, h("code", {}, axis[2])) : h("li", {}, line);
}

function start(root) {
  let seed;
  let number;
  let current;
  let right = 0;
  let tried = 0;

  const title = h("h2", { id: "px-title" });
  const place = h("p", { class: "px-place", id: "px-place" });
  const code = h("code", { id: "px-code" });
  const input = h("input", {
    type: "text",
    id: "px-shape",
    autocomplete: "off",
    spellcheck: "false",
    "aria-describedby": "px-shape-hint",
  });
  const check = h("button", { type: "submit", class: "md-button", id: "px-check" }, "Check");
  const raises = h(
    "button",
    { type: "button", class: "md-button", id: "px-raises" },
    "PyTorch raises an error",
  );
  const form = h(
    "form",
    { class: "px-answer", id: "px-form", novalidate: true },
    h("label", { for: "px-shape" }, "The shape of y"),
    h(
      "span",
      { class: "px-hint", id: "px-shape-hint" },
      "Sizes separated by commas, such as 1, 8, 4, 5",
    ),
    h("div", { class: "px-inline" }, input, check, h("span", { class: "px-or" }, "or"), raises),
  );
  const status = h("p", {
    class: "px-status",
    id: "px-status",
    role: "status",
    "aria-live": "polite",
  });
  const answer = h("div", { class: "px-worked", id: "px-worked", hidden: true });
  const next = h(
    "button",
    { type: "button", class: "md-button", id: "px-next", hidden: true },
    "Next question",
  );
  const score = h("p", { class: "px-score", id: "px-score" });

  root.querySelector(".px-needs-js")?.remove();
  root.append(
    score,
    title,
    place,
    h("p", {}, "What comes out, or what does PyTorch say?"),
    h("pre", { class: "px-code" }, code),
    form,
    status,
    answer,
    next,
  );

  function showScore() {
    score.textContent = `Score: ${right} right of ${tried} tried`;
  }

  function ask(newSeed, newNumber) {
    seed = newSeed;
    number = newNumber;
    current = question(seed, number);
    history.replaceState(null, "", `#${formatPracticeHash(seed, number)}`);
    title.textContent = `Question ${number}`;
    place.replaceChildren(
      `Set ${seed}: `,
      h("a", { href: `#${formatPracticeHash(seed, number)}` }, "the address of this question"),
      ", to share it.",
    );
    code.textContent = current.code;
    input.value = "";
    input.readOnly = false;
    input.removeAttribute("aria-invalid");
    check.disabled = false;
    raises.disabled = false;
    status.textContent = "";
    status.className = "px-status";
    answer.hidden = true;
    answer.replaceChildren();
    next.hidden = true;
  }

  function workedAnswer(w) {
    const parts = [h("h3", {}, "The answer")];
    if (w.ok) {
      parts.push(
        h("p", {}, h("strong", {}, w.summary)),
        h("ul", {}, ...w.lines.map(workedLine)),
        h(
          "p",
          { class: "px-formula" },
          "Along each spatial axis: ",
          h("code", {}, w.formula),
          `, where ${w.symbols}`,
        ),
      );
    } else {
      parts.push(
        h("p", {}, h("strong", {}, w.summary)),
        h("pre", { class: "px-error" }, h("code", {}, `${w.errorType}: ${w.error}`)),
        h("p", {}, h("strong", {}, "Why: "), w.why),
      );
    }
    parts.push(
      h(
        "p",
        {},
        h("a", { href: `../explorer/#${current.hash}`, id: "px-explorer" }, "Open in the explorer"),
        " to see this setting cell by cell.",
      ),
    );
    return parts;
  }

  function mark(given) {
    const good = judge(current, given);
    tried += 1;
    if (good) right += 1;
    showScore();
    const w = worked(current);
    const yours = given.raises ? "PyTorch raises an error" : `[${given.shape.join(", ")}]`;
    status.className = `px-status ${good ? "px-right" : "px-wrong"}`;
    status.textContent =
      `${good ? "✓ Right." : "✗ Not right."} You answered ${yours}. ${w.summary} ` +
      `Score: ${right} right of ${tried} tried.`;
    answer.replaceChildren(...workedAnswer(w));
    answer.hidden = false;
    input.readOnly = true;
    check.disabled = true;
    raises.disabled = true;
    next.hidden = false;
    next.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (input.readOnly) return;
    const read = parseAnswer(input.value);
    if (!read.ok) {
      input.setAttribute("aria-invalid", "true");
      status.className = "px-status px-wrong";
      status.textContent = read.problem;
      input.focus();
      return;
    }
    input.removeAttribute("aria-invalid");
    mark({ shape: read.shape });
  });
  raises.addEventListener("click", () => mark({ raises: true }));
  next.addEventListener("click", () => {
    ask(seed, number + 1);
    input.focus();
  });

  function load() {
    const wanted = readHash(location.hash);
    ask(wanted.seed ?? randomSeed(), wanted.number ?? 1);
  }

  // An address typed or followed: another question of the same set keeps the score;
  // another set starts afresh.
  window.addEventListener("hashchange", () => {
    const wanted = readHash(location.hash);
    if (wanted.seed === seed && (wanted.number ?? 1) === number) return;
    if (wanted.seed !== seed) {
      right = 0;
      tried = 0;
      showScore();
    }
    load();
  });
  showScore();
  load();
}

const root = document.getElementById("practice");
if (root) start(root);
