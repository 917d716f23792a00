/**
 * The participation half of the reducer (session/reducer.ts delegates here): pure, never
 * mutating, returning the same state object when nothing changes.
 */
import type { SessionEvent } from '../events';
import { appendLoss } from '../loss-history';
import { fitOfStep, type SessionState } from '../state';
import type { ParticipationEventBody } from './events';
import {
  MAX_RACE_POINTS,
  type ParticipationState,
  type Proposal,
  type Quiz,
  type QuizBoard,
} from './state';

type ParticipationEvent = Extract<SessionEvent, ParticipationEventBody>;
type CoreEvent = Exclude<SessionEvent, ParticipationEventBody>;

export function reduceParticipation(state: SessionState, event: ParticipationEvent): SessionState {
  const p = state.participation;
  const set = (changes: Partial<ParticipationState>): SessionState => ({
    ...state,
    participation: { ...p, ...changes },
  });
  switch (event.type) {
    case 'participation-set':
      return set({
        showNames: event.showNames,
        // Going anonymous takes back the names already shown, not only future ones.
        proposals: event.showNames
          ? p.proposals
          : { ...p.proposals, items: p.proposals.items.map((item) => ({ ...item, by: [] })) },
      });
    case 'proposals-set':
      return set({
        proposals: {
          ...p.proposals,
          open: event.open,
          items: event.cleared ? [] : p.proposals.items,
        },
      });
    case 'proposal-added':
      return set({ proposals: { ...p.proposals, items: [...p.proposals.items, event.proposal] } });
    case 'proposal-supported':
      return set({
        proposals: {
          ...p.proposals,
          items: mapProposal(p.proposals.items, event.proposalId, (item) => ({
            ...item,
            supporters: item.supporters + 1,
            by: event.by === null ? item.by : [...item.by, event.by],
          })),
        },
      });
    case 'proposal-withdrawn': {
      const items = mapProposal(p.proposals.items, event.proposalId, (item) => ({
        ...item,
        supporters: item.supporters - 1,
        by: item.by.filter((id) => id !== event.by),
      })).filter((item) => item.supporters > 0);
      return set({ proposals: { ...p.proposals, items } });
    }
    case 'proposal-applied':
      return set({
        proposals: {
          ...p.proposals,
          lastApplied: {
            how: event.how,
            proposalId: event.proposalId,
            rate: event.rate,
            step: state.step,
          },
        },
      });
    case 'vote-opened':
      return set({
        vote: {
          id: event.voteId,
          options: event.options,
          hideTallies: event.hideTallies,
          status: 'open',
          votes: 0,
          tallies: event.hideTallies ? null : event.options.map(() => 0),
          winner: null,
        },
      });
    case 'vote-cast':
      if (p.vote?.id !== event.voteId) return state;
      return set({ vote: { ...p.vote, votes: event.votes, tallies: event.tallies } });
    case 'vote-closed': {
      const vote = p.vote;
      if (vote?.id !== event.voteId) return state;
      const won = vote.options.find((option) => option.proposalId === event.winner);
      return set({
        vote: {
          ...vote,
          status: 'closed',
          votes: event.votes,
          tallies: event.tallies,
          winner: event.winner,
        },
        proposals: won
          ? {
              ...p.proposals,
              lastApplied: {
                how: 'vote',
                proposalId: won.proposalId,
                rate: won.rate,
                step: state.step,
              },
            }
          : p.proposals,
      });
    }
    case 'class-steps-set':
      return set({
        classSteps: {
          ...p.classSteps,
          enabled: event.enabled,
          granularity: event.granularity,
          quorum: event.quorum,
          readyIds: event.enabled ? p.classSteps.readyIds : [],
        },
      });
    case 'class-ready': {
      const others = p.classSteps.readyIds.filter((id) => id !== event.id);
      return set({
        classSteps: { ...p.classSteps, readyIds: event.ready ? [...others, event.id] : others },
      });
    }
    case 'class-stepped':
      return set({
        classSteps: { ...p.classSteps, readyIds: [], rounds: p.classSteps.rounds + 1 },
      });
    case 'quiz-opened':
      return set({
        quiz: {
          ...p.quiz,
          count: p.quiz.count + 1,
          current: {
            id: event.quizId,
            number: p.quiz.count + 1,
            question: event.question,
            step: event.step,
            openedAt: event.t,
            closesAt: event.closesAt,
            status: 'open',
            answers: 0,
            reveal: null,
          },
        },
      });
    case 'quiz-answered':
      return withQuiz(state, event.quizId, (quiz) => ({ ...quiz, answers: event.answers }));
    case 'quiz-locked':
      return withQuiz(state, event.quizId, (quiz) => ({ ...quiz, status: 'locked' }));
    case 'quiz-revealed': {
      const next = withQuiz(state, event.quizId, (quiz) => ({
        ...quiz,
        status: 'revealed',
        reveal: event.reveal,
      }));
      if (next === state) return state;
      const quiz = next.participation.quiz;
      return {
        ...next,
        participation: {
          ...next.participation,
          quiz: { ...quiz, scores: addPoints(quiz.scores, event.reveal.correctIds) },
        },
      };
    }
    case 'quiz-cancelled':
      return withQuiz(state, event.quizId, (quiz) => ({ ...quiz, status: 'cancelled' }));
    case 'leaderboard-set':
      return set({ quiz: { ...p.quiz, leaderboardVisible: event.visible } });
    case 'race-started':
      return set({
        race: {
          id: event.raceId,
          status: 'running',
          steps: event.steps,
          batchSize: event.batchSize,
          fromStep: event.fromStep,
          forks: event.rates.map((rate) => ({ rate, stepsDone: 0, loss: [], diverged: null })),
        },
      });
    case 'race-progress': {
      const race = p.race;
      if (race?.id !== event.raceId) return state;
      const forks = race.forks.map((fork, k) => {
        const progress = event.forks[k];
        if (!progress) return fork;
        return {
          ...fork,
          stepsDone: progress.stepsDone,
          loss: appendLoss(fork.loss, progress.loss, MAX_RACE_POINTS),
          diverged: progress.diverged ?? fork.diverged,
        };
      });
      return set({ race: { ...race, forks } });
    }
    case 'race-ended':
      if (p.race?.id !== event.raceId) return state;
      return set({ race: { ...p.race, status: event.status } });
    case 'network-set':
      return {
        ...cancelOpenQuiz(state),
        network: event.network,
        fit: fitOfStep(event.fit, state.step),
        stageIndex: 0,
        lastStage: null,
        trace: null,
      };
  }
}

/**
 * What the core events mean for participation: a student who leaves is no longer ready;
 * an open quiz whose step happened (or whose network changed) without a reveal is
 * cancelled; a new setup or a reset ends the race (it was about the old network).
 */
export function participationEffects(state: SessionState, event: CoreEvent): SessionState {
  switch (event.type) {
    case 'participant-connection':
      return event.connected ? state : notReady(state, event.id);
    case 'participant-kicked': {
      const next = notReady(state, event.id);
      const quiz = next.participation.quiz;
      if (!quiz.scores.some((score) => score.id === event.id)) return next;
      const scores = quiz.scores.filter((score) => score.id !== event.id);
      return { ...next, participation: { ...next.participation, quiz: { ...quiz, scores } } };
    }
    case 'setup-changed':
    case 'reset': {
      const next = cancelOpenQuiz(state);
      if (next.participation.race === null) return next;
      return { ...next, participation: { ...next.participation, race: null } };
    }
    case 'weight-edited':
    case 'stepped':
    case 'progressed':
    case 'frame':
    case 'diverged':
      return cancelOpenQuiz(state);
    case 'stage-ran':
      return event.patch.kind === 'update' ? cancelOpenQuiz(state) : state;
    case 'ended': {
      const next = cancelOpenQuiz(state);
      const race = next.participation.race;
      if (race?.status !== 'running') return next;
      return {
        ...next,
        participation: { ...next.participation, race: { ...race, status: 'cancelled' } },
      };
    }
    default:
      return state;
  }
}

function mapProposal(
  items: Proposal[],
  id: string,
  change: (item: Proposal) => Proposal,
): Proposal[] {
  return items.map((item) => (item.id === id ? change(item) : item));
}

function withQuiz(state: SessionState, quizId: string, change: (quiz: Quiz) => Quiz): SessionState {
  const board: QuizBoard = state.participation.quiz;
  if (board.current?.id !== quizId) return state;
  return {
    ...state,
    participation: {
      ...state.participation,
      quiz: { ...board, current: change(board.current) },
    },
  };
}

/** Only an open quiz is cancelled: a locked one is being revealed (its own step runs). */
function cancelOpenQuiz(state: SessionState): SessionState {
  const current = state.participation.quiz.current;
  if (current?.status !== 'open') return state;
  return withQuiz(state, current.id, (quiz) => ({ ...quiz, status: 'cancelled' }));
}

function notReady(state: SessionState, id: string): SessionState {
  const steps = state.participation.classSteps;
  if (!steps.readyIds.includes(id)) return state;
  return {
    ...state,
    participation: {
      ...state.participation,
      classSteps: { ...steps, readyIds: steps.readyIds.filter((ready) => ready !== id) },
    },
  };
}

function addPoints(scores: QuizBoard['scores'], ids: readonly string[]): QuizBoard['scores'] {
  if (ids.length === 0) return scores;
  const winners = new Set(ids);
  // Those already on the board get a point (and leave the set); the rest are added after.
  const next = scores.map((score) =>
    winners.delete(score.id) ? { ...score, points: score.points + 1 } : score,
  );
  for (const id of winners) next.push({ id, points: 1 });
  return next;
}
