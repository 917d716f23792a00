/**
 * A restored room's state is the state at its last event: it may say the host and some
 * students are connected, that training is playing, that a race is running or a quiz is
 * open. None of that holds once the server has restarted (nobody is connected yet, no
 * timer runs, the race's forks and the quiz's secret answers were in memory), so the room
 * records it, as events like any other change, before anyone is let back in: the class
 * comes back to a paused session and resumes from there.
 */
import { settle } from '../room/frames';
import type { Room } from '../room/room';

export function afterRestart(room: Room): void {
  const { state } = room;
  settle(room);
  if (state.playing) room.record({ type: 'play-changed', playing: false });
  const race = state.participation.race;
  if (race?.status === 'running') {
    room.record({ type: 'race-ended', raceId: race.id, status: 'cancelled' });
  }
  const quiz = state.participation.quiz.current;
  if (quiz?.status === 'open') room.record({ type: 'quiz-cancelled', quizId: quiz.id });
  if (state.hostConnected) room.record({ type: 'host-connection', connected: false });
  for (const participant of state.participants) {
    if (participant.connected) {
      room.record({ type: 'participant-connection', id: participant.id, connected: false });
    }
  }
}
