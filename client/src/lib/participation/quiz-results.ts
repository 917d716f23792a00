/**
 * The host's quiz results as a CSV file (GET /api/sessions/:code/quiz-results.csv). The
 * request needs the host token in an Authorization header, which a plain link cannot send,
 * so the file is fetched and handed to the browser as a blob. Never throws.
 */
import { quizResultsPath } from '@backprop/shared/protocol';

export type QuizResultsFile =
  { ok: true; csv: string; filename: string } | { ok: false; message: string };

export async function fetchQuizResults(
  code: string,
  hostToken: string,
  fetcher: typeof fetch = fetch,
): Promise<QuizResultsFile> {
  let response: Response;
  try {
    response = await fetcher(quizResultsPath(code), {
      headers: { Authorization: `Bearer ${hostToken}`, Accept: 'text/csv' },
    });
  } catch {
    return {
      ok: false,
      message: 'Could not reach the server. Check the connection and try again.',
    };
  }
  if (response.ok) {
    return { ok: true, csv: await response.text(), filename: `quiz-results-${code}.csv` };
  }
  const body: unknown = await response.json().catch(() => null);
  const message =
    typeof body === 'object' &&
    body !== null &&
    'error' in body &&
    typeof body.error === 'object' &&
    body.error !== null &&
    'message' in body.error &&
    typeof body.error.message === 'string'
      ? body.error.message
      : `The download failed (HTTP ${response.status}).`;
  return { ok: false, message };
}
