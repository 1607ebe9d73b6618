import { useState } from 'react';
import { useView } from '../app/view-context.js';
import { DigitEntry } from '../components/DigitEntry.js';

const USER_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Service entry: the person's service ID (letters and digits, from the cabinet's keyboard) and
 * their PIN on the keypad. An empty ID sends the PIN alone, which only a development terminal
 * accepts (the shared code); the core decides.
 */
export function ServiceLoginScreen() {
  const { send, t } = useView();
  const [userId, setUserId] = useState('');
  const id = userId.trim();
  return (
    <DigitEntry
      title={t('service.loginTitle')}
      hint={t('service.userIdHint')}
      label={t('service.code')}
      maxLength={8}
      secret
      back={false}
      above={
        <label className="field-label">
          {t('service.userId')}
          <input
            className="field"
            name="serviceUserId"
            autoComplete="off"
            spellCheck={false}
            maxLength={32}
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
          />
        </label>
      }
      ready={(d) => d.length >= 4 && (id === '' || USER_ID.test(id))}
      submit={(code) => send({ name: 'serviceLogin', payload: id === '' ? { code } : { code, userId: id } })}
    />
  );
}
