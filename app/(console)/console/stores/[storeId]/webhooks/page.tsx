import type { Metadata } from 'next';
import Link from 'next/link';
import { Webhook } from 'lucide-react';
import { WebhookEvents } from '@/components/console/webhook-events';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireStoreUser } from '@/lib/auth/current';
import { listPoses } from '@/lib/stores/list-poses';
import { listWebhookEvents } from '@/lib/webhooks/list-webhook-events';
import { redeliverWebhookAction } from './actions';

export const metadata: Metadata = { title: 'Webhooks' };

export default async function WebhooksPage({ params }: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  await requireStoreUser(storeId);
  const [events, poses] = await Promise.all([listWebhookEvents({ storeId, limit: 100 }), listPoses(storeId)]);
  const posesHref = `/console/stores/${storeId}/poses`;
  return (
    <div className="space-y-6">
      <PageHeader title="Webhooks" description="Every payment event sent to your shops, newest first, with each delivery attempt. A shop that does not answer 2xx is retried for about a day." />
      <Card>
        <CardHeader>
          <CardTitle>Where events go</CardTitle>
          <CardDescription>
            Each POS sends its events to its own URL, set on the{' '}
            <Link href={posesHref} className="text-brand-700 underline underline-offset-2 hover:text-brand-800">
              POSes page
            </Link>
            . Every delivery is signed (ServerPOS-Signature); your shop checks it with the keys published at{' '}
            <code className="font-mono">GET /api/v1/pos/webhook-keys</code>{' '}
            (see the{' '}
            <a href="/docs/pos-api#tag-Webhooks" className="text-brand-700 underline underline-offset-2 hover:text-brand-800">
              API reference
            </a>
            ).
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ul className="space-y-1 text-sm" aria-label="Webhook URLs of your POSes">
            {poses.map((pos) => (
              <li key={pos.id}>
                <span className="font-medium text-slate-900">{pos.name}</span>: {pos.webhookUrl ? <span className="break-all font-mono text-xs">{pos.webhookUrl}</span> : <span className="text-slate-600">no webhook URL (events are recorded, not sent)</span>}
              </li>
            ))}
          </ul>
        </CardContent>
      </Card>
      {events.length === 0 ? (
        <EmptyState icon={Webhook} title="No events yet" description="An event is recorded for every authorisation, decline, failure, capture, void and refund of your payments." />
      ) : (
        <WebhookEvents storeId={storeId} events={events} redeliver={redeliverWebhookAction} />
      )}
    </div>
  );
}
