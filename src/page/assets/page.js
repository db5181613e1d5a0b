// The participants' page: follows the meeting through Server-Sent
// Events (note, gone, status, reset) and sends the participant's
// requests back. Text is only ever set as text, never as HTML.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const base = location.pathname.replace(/[^/]*$/, "");
  const KINDS = {
    point_of_order: "point of order",
    clarifying: "clarifying question",
    reply: "reply",
    new_topic: "new topic",
  };

  function stored(key, make) {
    try {
      let value = localStorage.getItem(key + base);
      if (!value) {
        value = make();
        localStorage.setItem(key + base, value);
      }
      return value;
    } catch (e) {
      return make();
    }
  }
  function remember(key, value) {
    try { localStorage.setItem(key + base, value); } catch (e) { /* private mode */ }
  }
  function newToken() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  const token = stored("minutes-token:", newToken);
  let status = null;
  let raised = false;
  let poll = null;
  let myVote = null;
  const sections = new Map();

  $("name").value = stored("minutes-name:", () => "");
  $("name").addEventListener("change", () => remember("minutes-name:", $("name").value.trim()));

  function say(text) { $("message").textContent = text; }

  function named() {
    const name = $("name").value.trim();
    if (!name) {
      say("Give your name first.");
      $("name").focus();
      return null;
    }
    remember("minutes-name:", name);
    return name;
  }

  function send(body) {
    say("");
    return fetch(base + "act", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(Object.assign({ token: token }, body)),
    }).then((response) => {
      if (!response.ok) say("The meeting did not take that (" + response.status + "): try again.");
      return response.ok;
    }, () => { say("The meeting cannot be reached: try again."); return false; });
  }

  // Notes, grouped by agenda item in the agenda's order.
  function itemTitle(item) {
    if (item === null || item === undefined) return "Notes";
    const found = status && status.items.find((i) => i.id === item);
    return found ? found.title : "Item " + item;
  }
  function section(item) {
    const key = item === null || item === undefined ? "none" : String(item);
    let found = sections.get(key);
    if (found) return found;
    const element = document.createElement("section");
    element.className = "item";
    element.dataset.item = key;
    const heading = document.createElement("h3");
    heading.textContent = itemTitle(item);
    const list = document.createElement("ol");
    list.className = "notes";
    element.append(heading, list);
    const order = (k) => {
      if (k === "none") return -1;
      const at = status ? status.items.findIndex((i) => String(i.id) === k) : -1;
      return at < 0 ? 1e9 : at;
    };
    const mine = order(key);
    const after = Array.from($("note-list").children).find((s) => order(s.dataset.item) > mine);
    $("note-list").insertBefore(element, after || null);
    found = { element: element, heading: heading, list: list, item: item };
    sections.set(key, found);
    return found;
  }
  function fillNote(li, note) {
    li.className = "note " + note.kind;
    li.dataset.item = note.item === null ? "none" : String(note.item);
    const meta = document.createElement("p");
    meta.className = "meta";
    const time = document.createElement("time");
    time.textContent = note.at;
    meta.append(time);
    if (note.speakers.length) meta.append(" " + note.speakers.join(", "));
    const text = document.createElement("p");
    text.className = "text";
    text.textContent = note.text;
    li.replaceChildren(meta, text);
  }
  function onNote(note) {
    let li = $("note-" + note.id);
    if (!li) {
      li = document.createElement("li");
      li.id = "note-" + note.id;
      fillNote(li, note);
      section(note.item).list.append(li);
    } else {
      fillNote(li, note);
    }
  }
  function onGone(gone) {
    const li = $("note-" + gone.id);
    if (li) li.remove();
  }
  // The first view (or a fresh one after reconnecting) is filled while
  // busy: screen readers announce only notes committed after it.
  function onReset() {
    $("note-list").setAttribute("aria-busy", "true");
    $("note-list").replaceChildren();
    sections.clear();
  }
  function onReady() {
    $("note-list").setAttribute("aria-busy", "false");
  }

  function onStatus(next) {
    status = next;
    $("title").textContent = next.title;
    document.title = next.title + " – notes";
    const agenda = $("agenda");
    agenda.replaceChildren(...next.items.map((item) => {
      const li = document.createElement("li");
      li.textContent = item.title;
      if (item.id === next.current) li.setAttribute("aria-current", "true");
      return li;
    }));
    const current = next.items.find((i) => i.id === next.current);
    $("current").textContent = current ? current.title : "none yet";
    $("speaking").textContent = next.speakers.length ? next.speakers.join(", ") : "nobody";
    for (const s of sections.values()) s.heading.textContent = itemTitle(s.item);
    $("queue").replaceChildren(...next.queue.map((hand) => {
      const li = document.createElement("li");
      li.append(hand.name + " ");
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = "(" + KINDS[hand.kind] + (hand.topic ? ": " + hand.topic : "") + ")";
      li.append(kind);
      return li;
    }));
    $("queue-empty").hidden = next.queue.length > 0;
    $("queue-closed").hidden = !next.queue_closed;
    $("raise-button").disabled = next.queue_closed;
    const name = $("name").value.trim();
    if (raised && !next.queue.some((h) => h.name === name)) raised = false;
    $("withdraw").hidden = !raised;
    $("paused").hidden = !next.off_record;
    showPoll(next.poll);
  }

  function showPoll(next) {
    $("poll").hidden = !next;
    if (!next) { poll = null; myVote = null; return; }
    const same = poll && poll.question === next.question && poll.options.join("\n") === next.options.join("\n");
    if (!same) myVote = null;
    const options = $("options");
    const checked = options.querySelector("input:checked");
    const keep = checked ? Number(checked.value) : myVote;
    poll = next;
    $("question").textContent = next.question;
    options.replaceChildren(...next.options.map((option, at) => {
      const label = document.createElement("label");
      const radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "choice";
      radio.value = String(at);
      radio.checked = keep === at;
      label.append(radio, option + " (" + next.counts[at] + ")");
      return label;
    }));
    $("voted").textContent = myVote === null ? "" :
      "Your vote: " + next.options[myVote] + ". You may change it until the poll closes.";
  }

  $("raise").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = named();
    if (!name) return;
    const topic = $("topic").value.trim();
    send({ do: "queue", name: name, kind: $("kind").value, topic: topic || null }).then((ok) => {
      if (!ok) return;
      raised = true;
      $("withdraw").hidden = false;
      $("topic").value = "";
    });
  });
  $("withdraw").addEventListener("click", () => {
    send({ do: "withdraw" }).then((ok) => {
      if (!ok) return;
      raised = false;
      $("withdraw").hidden = true;
      $("raise-button").focus();
    });
  });
  $("vote").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = named();
    if (!name) return;
    const checked = $("options").querySelector("input:checked");
    if (!checked) { say("Choose an option first."); return; }
    const choice = Number(checked.value);
    send({ do: "vote", name: name, choice: choice }).then((ok) => {
      if (!ok) return;
      myVote = choice;
      if (poll) showPoll(poll);
    });
  });

  function listen() {
    const events = new EventSource(base + "events");
    const on = (kind, handle) => events.addEventListener(kind, (e) => handle(JSON.parse(e.data)));
    on("reset", onReset);
    on("status", onStatus);
    on("note", onNote);
    on("gone", onGone);
    on("ready", onReady);
    events.onopen = () => { $("connection").textContent = "Live"; };
    events.onerror = () => { $("connection").textContent = "Reconnecting…"; };
  }
  listen();
})();
