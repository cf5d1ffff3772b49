// The console: sign in, ask, watch the job, read the answer, browse history.

import { Api, ApiError, loadSession, saveSession } from './api.js';
import { h, renderAnswer } from './answer-view.js';
import { TIER_LABELS, formatTime } from './format.js';

const QUESTION_MAX = 500;
const AS_OF_KEY = 'shop-insights.as-of';

const $ = (id) => document.getElementById(id);
const ui = {
  signIn: $('sign-in'),
  signInForm: $('sign-in-form'),
  apiKey: $('api-key'),
  shopId: $('shop-id'),
  openMode: $('open-mode'),
  signInError: $('sign-in-error'),
  signOut: $('sign-out'),
  shopName: $('shop-name'),
  workspace: $('workspace'),
  askForm: $('ask-form'),
  question: $('question'),
  askButton: $('ask-button'),
  count: $('question-count'),
  suggestions: $('suggestions'),
  followUp: $('follow-up'),
  followUpQuestion: $('follow-up-question'),
  followUpClear: $('follow-up-clear'),
  asOf: $('as-of'),
  progress: $('progress'),
  progressText: $('progress-text'),
  message: $('message'),
  answer: $('answer'),
  historyList: $('history-list'),
  historyEmpty: $('history-empty'),
  historyRefresh: $('history-refresh'),
};

/** @type {Api | null} */
let api = null;
/** The job the next question follows up on. */
let followUp = null;
/** Cancels the watch of the job on screen when another one takes its place. */
let watching = null;

// ---------- sign in / out ----------

async function signIn(session, { quiet = false } = {}) {
  const candidate = new Api(session);
  try {
    const history = await candidate.history();
    session.shopId = history.shop_id;
    const shop = await candidate.shop(history.shop_id).catch(() => null);
    session.shopName = shop?.name || `Shop ${history.shop_id}`;
    api = candidate;
    saveSession(session);
    showWorkspace(session);
    renderHistory(history.jobs);
    void loadSuggestions();
  } catch (err) {
    saveSession(null);
    if (!quiet) ui.signInError.textContent = signInMessage(err, session);
    ui.signIn.hidden = false;
  }
}

function signInMessage(err, session) {
  if (!(err instanceof ApiError)) return 'Sign-in failed.';
  switch (err.code) {
    case 'UNAUTHORIZED':
      return session.apiKey
        ? 'That key was not accepted. Check it, or ask for a new one.'
        : 'This service (or this shop) needs an API key to sign in.';
    case 'SHOP_NOT_FOUND':
      return 'There is no shop with that id.';
    case 'VALIDATION_FAILED':
      return 'Enter a shop API key (or a shop id where the service runs without keys).';
    default:
      return err.message;
  }
}

function showWorkspace(session) {
  ui.signIn.hidden = true;
  ui.workspace.hidden = false;
  ui.signOut.hidden = false;
  ui.shopName.hidden = false;
  ui.shopName.textContent = session.shopName;
  ui.apiKey.value = '';
  ui.question.focus();
}

function signOut(reason = '') {
  watching?.abort();
  api = null;
  followUp = null;
  saveSession(null);
  ui.workspace.hidden = true;
  ui.signOut.hidden = true;
  ui.shopName.hidden = true;
  ui.answer.hidden = true;
  ui.answer.replaceChildren();
  ui.progress.hidden = true;
  hideMessage();
  ui.historyList.replaceChildren();
  ui.signIn.hidden = false;
  ui.signInError.textContent = reason;
  ui.apiKey.focus();
}

ui.signInForm.addEventListener('submit', (e) => {
  e.preventDefault();
  ui.signInError.textContent = '';
  const apiKey = ui.apiKey.value.trim();
  const shopId = Number(ui.shopId.value);
  if (!apiKey && !(Number.isInteger(shopId) && shopId > 0)) {
    ui.signInError.textContent = 'Enter your shop API key.';
    ui.apiKey.focus();
    return;
  }
  void signIn(apiKey ? { apiKey } : { shopId });
});
ui.signOut.addEventListener('click', () => signOut());

// ---------- asking ----------

async function loadSuggestions() {
  try {
    const { suggestions } = await api.suggestions();
    ui.suggestions.replaceChildren(...suggestions.map((s) => h('option', { value: s })));
  } catch {
    // Suggestions are a convenience; the box works without them.
  }
}

function updateCount() {
  const n = ui.question.value.length;
  ui.count.textContent = n > QUESTION_MAX - 100 ? `${n} / ${QUESTION_MAX} characters` : '';
  ui.count.classList.toggle('over', n > QUESTION_MAX);
}
ui.question.addEventListener('input', updateCount);

function setFollowUp(job) {
  followUp = job;
  ui.followUp.hidden = !job;
  ui.followUpQuestion.textContent = job ? job.question : '';
}
ui.followUpClear.addEventListener('click', () => {
  setFollowUp(null);
  ui.question.focus();
});

ui.asOf.value = sessionStorage.getItem(AS_OF_KEY) || '';
ui.asOf.addEventListener('change', () => sessionStorage.setItem(AS_OF_KEY, ui.asOf.value));

ui.askForm.addEventListener('submit', (e) => {
  e.preventDefault();
  void ask(ui.question.value.trim());
});

async function ask(question) {
  if (!api) return;
  if (!question) {
    showMessage('Type a question first.');
    ui.question.focus();
    return;
  }
  hideMessage();
  ui.answer.hidden = true;
  ui.answer.replaceChildren();
  const controller = startWatch();
  setProgress('queued', 'Sending your question…');
  const options = { asOf: ui.asOf.value || undefined, followUpOf: followUp?.job_id };
  let accepted;
  try {
    accepted = await api.ask(question, options);
  } catch (err) {
    ui.progress.hidden = true;
    return handleError(err, 'This question was not accepted');
  }
  setFollowUp(null);
  // Keep anything typed while the question was on its way.
  if (ui.question.value.trim() === question) {
    ui.question.value = '';
    updateCount();
  }
  await follow(accepted, controller);
}

function startWatch() {
  watching?.abort();
  watching = new AbortController();
  return watching;
}

/** Follow a job (a 202 acceptance or a finished job) and show the outcome. */
async function follow(job, controller, { focus = false } = {}) {
  let job_ = job;
  try {
    if (job.status !== 'succeeded' && job.status !== 'failed') {
      onStatus(job);
      job_ = await api.watch(job.job_id, onStatus, controller.signal);
    }
  } catch (err) {
    if (controller.signal.aborted) return;
    ui.progress.hidden = true;
    return handleError(err, 'Could not follow the question');
  }
  if (controller.signal.aborted) return;
  showOutcome(job_, { focus });
  void refreshHistory();
}

let lastTier = null;
function onStatus(event) {
  const tier = TIER_LABELS[event.tier] || event.tier;
  const escalated = lastTier && lastTier !== event.tier;
  lastTier = event.tier;
  if (event.status === 'queued') {
    setProgress('queued', escalated ? `Handed on to ${tier}; waiting…` : `Queued for ${tier}…`);
  } else if (event.status === 'running') {
    setProgress('running', `Working on it (${tier})…`);
  }
}

function setProgress(step, text) {
  ui.progress.hidden = false;
  const order = ['queued', 'running', 'done'];
  for (const li of ui.progress.querySelectorAll('li')) {
    const i = order.indexOf(li.dataset.step);
    li.className = i < order.indexOf(step) ? 'past' : i === order.indexOf(step) ? 'now' : '';
  }
  ui.progressText.textContent = text;
}

/** The job on screen, marked in the history. */
let shownJobId = null;

function markShown(jobId) {
  shownJobId = jobId;
  for (const b of ui.historyList.querySelectorAll('button')) {
    if (b.dataset.jobId === jobId) b.setAttribute('aria-current', 'true');
    else b.removeAttribute('aria-current');
  }
}

function showOutcome(job, { focus }) {
  lastTier = null;
  markShown(job.job_id);
  const tier = TIER_LABELS[job.tier] || job.tier;
  if (job.status === 'succeeded') {
    const ms = job.timings_ms?.total;
    setProgress(
      'done',
      `Answered by ${tier}${job.cache_hit ? ' from the cache' : ''}${ms !== undefined ? ` in ${ms} ms` : ''}.`,
    );
    hideMessage();
    renderAnswer(ui.answer, job, {
      onFeedback: (correct) => api.feedback(job.job_id, correct).then(() => undefined),
      onFollowUp: () => {
        setFollowUp(job);
        ui.question.focus();
      },
    });
    if (focus) ui.answer.focus();
  } else {
    setProgress('done', 'This question could not be answered.');
    ui.answer.hidden = true;
    const err = job.error || { code: 'FAILED', message: 'The question failed.' };
    showMessage(
      `We could not answer “${job.question}”.`,
      err.message,
      err.code,
      err.suggestions || [],
    );
  }
}

function handleError(err, title) {
  if (err instanceof ApiError && err.status === 401) {
    signOut('Your key is no longer accepted. Please sign in again.');
    return;
  }
  if (!(err instanceof ApiError)) {
    showMessage(title, String(err?.message || err));
    return;
  }
  const known = {
    QUESTION_TOO_LONG: `Questions can be at most ${QUESTION_MAX} characters; this one has ${ui.question.value.trim().length}. Shorten it and ask again.`,
    QUESTION_EMPTY: 'Type a question first.',
    BAD_DATE: 'The “answer as of” date is not valid.',
    RATE_LIMITED: 'Too many questions in a short time. Wait a moment and try again.',
    QUEUE_FULL: 'The service is busy with your earlier questions. Try again shortly.',
    JOB_NOT_FOUND: 'That question has expired from the history.',
  };
  showMessage(title, known[err.code] || err.message, err.code, err.suggestions);
}

function showMessage(title, detail = '', code = '', suggestions = []) {
  const parts = [
    h('p', { class: 'title' }, title),
    detail ? h('p', {}, detail) : null,
    code ? h('p', { class: 'muted code' }, `Code: ${code}`) : null,
    suggestions.length
      ? h(
          'div',
          { class: 'chips-block' },
          h('p', {}, 'Questions that can be answered:'),
          h(
            'ul',
            { class: 'chips' },
            suggestions.map((s) =>
              h(
                'li',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'chip',
                    onclick: () => {
                      ui.question.value = s;
                      updateCount();
                      void ask(s);
                    },
                  },
                  s,
                ),
              ),
            ),
          ),
        )
      : null,
  ];
  ui.message.replaceChildren(...parts.filter(Boolean));
  ui.message.hidden = false;
}

function hideMessage() {
  ui.message.hidden = true;
  ui.message.replaceChildren();
}

// ---------- history ----------

async function refreshHistory() {
  if (!api) return;
  try {
    renderHistory((await api.history()).jobs);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) signOut('Please sign in again.');
  }
}
ui.historyRefresh.addEventListener('click', () => void refreshHistory());

const STATUS_TEXT = { queued: 'queued', running: 'running', succeeded: '', failed: 'failed' };

function renderHistory(jobs) {
  ui.historyEmpty.hidden = jobs.length > 0;
  ui.historyList.replaceChildren(
    ...jobs.map((job) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: `history-item ${job.status}`,
            'data-job-id': job.job_id,
            'aria-current': job.job_id === shownJobId ? 'true' : undefined,
            onclick: () => void reopen(job.job_id),
          },
          h('span', { class: 'q' }, job.question),
          h(
            'span',
            { class: 'meta' },
            formatTime(job.created_at),
            STATUS_TEXT[job.status] ? ` · ${STATUS_TEXT[job.status]}` : '',
            job.error_code ? ` (${job.error_code})` : '',
            job.follow_up_of ? ' · follow-up' : '',
          ),
        ),
      ),
    ),
  );
}

async function reopen(jobId) {
  if (!api) return;
  const controller = startWatch();
  hideMessage();
  try {
    const job = await api.job(jobId);
    await follow(job, controller, { focus: true });
  } catch (err) {
    handleError(err, 'Could not open that question');
  }
}

// ---------- start ----------

const saved = loadSession();
if (saved) void signIn(saved, { quiet: true });
else ui.apiKey.focus();
