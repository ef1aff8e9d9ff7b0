// Aliases shown as small chips (e.g. "champion → v2"); a dash when there are none.
export function AliasChips({ aliases }: { aliases: string[] }) {
  if (aliases.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {aliases.map((a) => (
        <span key={a} className="label-chip">
          {a}
        </span>
      ))}
    </>
  );
}
