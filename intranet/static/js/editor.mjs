// Markdown textareas (data-markdown): a formatting toolbar, an image button that uploads and
// inserts the picture at the cursor, and @-mention autocomplete. Progressive enhancement only:
// without JavaScript the same textareas take plain Markdown, with "Formatting help" under them and
// an "Add an image" file field on the form.

const csrfToken = () => document.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";

// Wrap the selection in `before`/`after` (or insert `placeholder` between them), keeping the
// selection on the text so a second format can be applied.
function wrap(textarea, before, after, placeholder) {
  const { selectionStart: start, selectionEnd: end, value } = textarea;
  const chosen = value.slice(start, end) || placeholder;
  textarea.setRangeText(before + chosen + after, start, end, "end");
  textarea.setSelectionRange(start + before.length, start + before.length + chosen.length);
  textarea.focus();
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
}

// Prefix every selected line (lists, quotes).
function prefixLines(textarea, prefix, placeholder) {
  const { selectionStart: start, selectionEnd: end, value } = textarea;
  const lineStart = value.lastIndexOf("\n", start - 1) + 1;
  const chosen = value.slice(lineStart, end) || placeholder;
  const lines = chosen.split("\n").map((line, index) => prefix(index) + line);
  textarea.setRangeText(lines.join("\n"), lineStart, end, "end");
  textarea.focus();
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
}

function insertAtCursor(textarea, text) {
  const { selectionStart: start, selectionEnd: end, value } = textarea;
  const before = start > 0 && value[start - 1] !== "\n" ? "\n\n" : "";
  textarea.setRangeText(before + text + "\n", start, end, "end");
  textarea.focus();
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
}

const ACTIONS = [
  ["Bold", (t) => wrap(t, "**", "**", "bold text")],
  ["Italic", (t) => wrap(t, "*", "*", "italic text")],
  ["Link", (t) => wrap(t, "[", "](https://)", "words to click")],
  ["List", (t) => prefixLines(t, () => "- ", "list item")],
  ["Code", (t) => (t.value.slice(t.selectionStart, t.selectionEnd).includes("\n")
    ? wrap(t, "```\n", "\n```", "code") : wrap(t, "`", "`", "code"))],
  ["Quote", (t) => prefixLines(t, () => "> ", "quoted text")],
];

function button(label, describedBy) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "govuk-button govuk-button--secondary confer-toolbar__button";
  element.textContent = label;
  element.setAttribute("aria-describedby", describedBy);
  return element;
}

function showError(status, message) {
  status.textContent = message;
  status.className = message ? "govuk-error-message confer-toolbar__status" : "confer-toolbar__status";
}

async function upload(textarea, file, status) {
  const body = new FormData();
  body.append("image", file);
  showError(status, "");
  status.textContent = "Adding the image…";
  try {
    const response = await fetch("/uploads/images/", {
      method: "POST", body, headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin",
    });
    const answer = await response.json();
    if (!response.ok) {
      showError(status, answer.error || "The image could not be added. Try again.");
      return;
    }
    insertAtCursor(textarea, answer.markdown);
    status.textContent = "Image added to your text.";
  } catch {
    showError(status, "The image could not be added. Check your connection and try again.");
  }
}

function toolbar(textarea, index) {
  const bar = document.createElement("div");
  bar.className = "confer-toolbar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Formatting");
  bar.setAttribute("aria-controls", textarea.id);
  const hintId = `confer-toolbar-hint-${index}`;
  const hint = document.createElement("span");
  hint.id = hintId;
  hint.className = "govuk-visually-hidden";
  hint.textContent = "Adds Markdown to your text";
  bar.append(hint);
  for (const [label, act] of ACTIONS) {
    const control = button(label, hintId);
    control.addEventListener("click", () => act(textarea));
    bar.append(control);
  }
  const status = document.createElement("p");
  status.className = "confer-toolbar__status";
  status.setAttribute("aria-live", "polite");
  const picker = document.createElement("input");
  picker.type = "file";
  picker.accept = "image/png,image/jpeg,image/gif,image/webp";
  picker.hidden = true;
  picker.tabIndex = -1;
  picker.setAttribute("aria-hidden", "true");
  picker.dataset.conferImagePicker = "";
  picker.addEventListener("change", () => {
    if (picker.files.length) upload(textarea, picker.files[0], status);
    picker.value = "";
  });
  const image = button("Image", hintId);
  image.addEventListener("click", () => picker.click());
  bar.append(image, picker);
  textarea.before(bar);
  textarea.after(status);
}

// --- @-mentions -----------------------------------------------------------------------------------

const TYPED_MENTION = /(?:^|[^\w/@.])@([\w.+-]{1,30})$/;

function mentions(textarea, index) {
  const list = document.createElement("ul");
  list.id = `confer-mentions-${index}`;
  list.className = "confer-mentions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Colleagues to mention");
  list.hidden = true;
  textarea.after(list);
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-controls", list.id);
  let timer = null;
  let active = -1;
  let typed = null;

  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    active = -1;
    textarea.removeAttribute("aria-activedescendant");
  };
  const choose = (username) => {
    const end = textarea.selectionStart;
    const start = end - typed.length - 1;
    textarea.setRangeText(`@${username} `, start, end, "end");
    close();
    textarea.focus();
  };
  const highlight = (next) => {
    const options = [...list.children];
    if (!options.length) return;
    active = (next + options.length) % options.length;
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
    textarea.setAttribute("aria-activedescendant", options[active].id);
  };
  const show = (people) => {
    list.replaceChildren();
    people.forEach((person, i) => {
      const option = document.createElement("li");
      option.id = `${list.id}-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.className = "confer-mentions__option";
      option.textContent = `${person.name} (@${person.username})`;
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(person.username);
      });
      list.append(option);
    });
    list.hidden = !people.length;
    if (people.length) highlight(0);
  };

  textarea.addEventListener("input", () => {
    const match = TYPED_MENTION.exec(textarea.value.slice(0, textarea.selectionStart));
    clearTimeout(timer);
    if (!match) {
      close();
      return;
    }
    typed = match[1];
    timer = setTimeout(async () => {
      try {
        const response = await fetch(`/mentions/people/?q=${encodeURIComponent(typed)}`, {
          credentials: "same-origin", headers: { Accept: "application/json" },
        });
        if (response.ok) show((await response.json()).people);
      } catch {
        close();
      }
    }, 250);
  });
  textarea.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
      event.preventDefault();
      choose(list.children[active].textContent.match(/\(@([^)]+)\)$/)[1]);
    } else if (event.key === "Escape") {
      close();
    }
  });
  textarea.addEventListener("blur", () => setTimeout(close, 150));
}

let count = 0;
export function enhance(root = document) {
  for (const textarea of root.querySelectorAll("textarea[data-markdown]:not([data-enhanced])")) {
    textarea.dataset.enhanced = "";
    count += 1;
    if (!textarea.id) textarea.id = `confer-markdown-${count}`;
    toolbar(textarea, count);
    mentions(textarea, count);
  }
}

enhance();
// Forms that htmx swaps in (a reply form, a page shown again) get the same tools.
document.body.addEventListener("htmx:afterSwap", (event) => enhance(event.target));
