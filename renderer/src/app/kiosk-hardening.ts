/** Touch kiosk behaviour: no context menu, no pinch zoom, no drag-out of images or text. */
export function hardenForKiosk(): void {
  const stop = (e: Event): void => e.preventDefault();
  window.addEventListener('contextmenu', stop);
  window.addEventListener('dragstart', stop);
  window.addEventListener('gesturestart', stop);
  window.addEventListener(
    'touchmove',
    (e) => {
      if (e.touches.length > 1) e.preventDefault();
    },
    { passive: false },
  );
}
