import type { SelectHTMLAttributes } from 'react';
import { controlClass } from '@/components/ui/input';
import { cn } from '@/lib/utils/cn';

export function Select({ className, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={cn(controlClass, 'h-10', className)} {...props} />;
}
