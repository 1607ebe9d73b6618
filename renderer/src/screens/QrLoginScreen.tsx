import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';
import { secondsUntil, useNow } from '../components/use-now.js';

/** The login QR, drawn locally from the payload the core got from the bank. */
export function QrLoginScreen() {
  const { snapshot, t } = useView();
  const payload = snapshot.qr?.payload ?? '';
  const [svg, setSvg] = useState<string | null>(null);
  const now = useNow();
  useEffect(() => {
    let live = true;
    if (!payload) return;
    QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#10201a', light: '#ffffff' } })
      .then((out) => {
        if (live) setSvg(out);
      })
      .catch(() => {
        if (live) setSvg(null);
      });
    return () => {
      live = false;
    };
  }, [payload]);
  const expiresAt = snapshot.qr?.expiresAt;
  return (
    <ScreenFrame title={t('qr.title')} hint={t('qr.hint')} back cancel>
      <div className="qr" role="img" aria-label={t('qr.image')}>
        {svg && payload ? <div className="qr-code" dangerouslySetInnerHTML={{ __html: svg }} /> : <div className="qr-code qr-empty" />}
      </div>
      {expiresAt !== undefined ? (
        <p className="hint" role="timer">
          {t('qr.expires', { seconds: secondsUntil(expiresAt, now) })}
        </p>
      ) : null}
    </ScreenFrame>
  );
}
