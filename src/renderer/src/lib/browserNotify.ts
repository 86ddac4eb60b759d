// Web notifications (the headless build in a browser; the desktop shell has native ones).
import type { NotificationText } from './notify';

/** Asks for permission on the first user gesture (browsers ignore requests without one). */
export function askNotificationPermissionOnGesture(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  const ask = () => {
    window.removeEventListener('pointerdown', ask);
    window.removeEventListener('keydown', ask);
    void Notification.requestPermission().catch(() => undefined);
  };
  window.addEventListener('pointerdown', ask);
  window.addEventListener('keydown', ask);
}

export function showBrowserNotification(text: NotificationText, onClick: () => void): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const n = new Notification(text.title, { body: text.body });
  n.onclick = () => {
    window.focus();
    onClick();
    n.close();
  };
}
