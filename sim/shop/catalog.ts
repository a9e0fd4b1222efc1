/** What the sample shop sells, in yen (JPY has no minor unit: the amounts are whole yen). */
export interface Product {
  id: string;
  name: string;
  detail: string;
  unitAmount: number;
}

export const catalog: readonly Product[] = [
  { id: 'kokoro', name: 'Kokoro', detail: 'Natsume Sōseki, paperback', unitAmount: 1_320 },
  { id: 'snow-country', name: 'Snow Country', detail: 'Kawabata Yasunari, paperback', unitAmount: 1_540 },
  { id: 'pillow-book', name: 'The Pillow Book', detail: 'Sei Shōnagon, hardcover', unitAmount: 1_980 },
  { id: 'sakura-blend', name: 'Sakura blend coffee beans 200 g', detail: 'Medium roast, whole beans', unitAmount: 1_600 },
  { id: 'drip-bags', name: 'Drip coffee bags (10)', detail: 'One cup each', unitAmount: 980 },
];

export function findProduct(id: string): Product | undefined {
  return catalog.find((product) => product.id === id);
}

/** Yen as the shop shows it: ¥3,620. */
export function yen(amount: number): string {
  return `¥${amount.toLocaleString('en-US')}`;
}
