import { AppError } from '@/lib/errors';
import { jsonError } from '@/lib/http/json-route';

/** Any /api path that no route serves: a JSON 404, like every other API answer. */
function notFound() {
  return jsonError(new AppError('not_found', 'There is no API endpoint at this address.'));
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
