/** A checkout link that names no order: said plainly, with no way into the consoles. */
export default function CheckoutNotFound() {
  return (
    <main className="mx-auto flex min-h-[70vh] max-w-lg flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="text-2xl font-semibold tracking-tight">Checkout link not found</h1>
      <p className="text-slate-600">This payment link does not exist, or it was copied incompletely. Go back to the shop and start the checkout again; nothing was charged.</p>
    </main>
  );
}
