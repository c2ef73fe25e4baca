// Pure operations on episode commits: what a work item looks like after one, and two
// consecutive episodes as one commit (group commit of episodes decided in memory).
import type { EpisodeCommit, WorkItem } from './backend.js';

/** The work item after `commit`: history extended (or a new execution's), consumed messages gone. */
export function applyCommit(item: WorkItem, commit: EpisodeCommit, etag = item.etag): WorkItem {
  const sameExecution = commit.instance.executionId === item.instance.executionId;
  const consumed = new Set(commit.consumedMessageIds);
  return {
    instance: commit.instance,
    history: sameExecution ? [...item.history, ...commit.newEvents] : [...commit.newEvents],
    messages: item.messages.filter((m) => !consumed.has(m.id)),
    etag,
  };
}

/** `first` then `second` as one commit against the state before `first`. */
export function mergeCommits(first: EpisodeCommit, second: EpisodeCommit): EpisodeCommit {
  const sameExecution = first.instance.executionId === second.instance.executionId;
  return {
    instance: second.instance,
    newEvents: sameExecution ? [...first.newEvents, ...second.newEvents] : second.newEvents,
    consumedMessageIds: [...first.consumedMessageIds, ...second.consumedMessageIds],
    outbox: [...first.outbox, ...second.outbox],
  };
}
