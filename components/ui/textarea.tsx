import type { TextareaHTMLAttributes } from 'react';
import { controlClass } from '@/components/ui/input';
import { cn } from '@/lib/utils/cn';

export function Textarea({ className, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className={cn(controlClass, className)} {...props} />;
}
