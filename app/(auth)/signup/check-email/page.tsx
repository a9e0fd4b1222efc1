import type { Metadata } from 'next';
import { MailCheck } from 'lucide-react';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Check your e-mail' };

export default function CheckEmailPage() {
  return (
    <Card>
      <CardHeader>
        <MailCheck className="size-8 text-brand-600" aria-hidden />
        <CardTitle>Check your e-mail</CardTitle>
        <CardDescription>
          We have sent a confirmation link to the address you entered. Open it to activate your account; it works once and expires in 24 hours.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <p className="text-sm text-slate-600">
          Your details are also on their way to the acquirers you listed. Each acquirer&apos;s answer arrives in a separate e-mail; when it verifies you, that e-mail holds your one-time certificate acquisition number for it.
        </p>
        <p className="mt-3 text-sm text-slate-600">Nothing arrived after a few minutes? Check your spam folder, or sign up again.</p>
      </CardContent>
    </Card>
  );
}
