import { formatTenge } from '../format/money.js';
import { useView } from '../app/view-context.js';

export function useMoney(): (tiyn: number) => string {
  const { snapshot } = useView();
  return (tiyn) => formatTenge(tiyn, snapshot.locale);
}

export function Money({ tiyn, className }: { tiyn: number; className?: string }) {
  const money = useMoney();
  return <span className={className ?? 'money'}>{money(tiyn)}</span>;
}
