import { ACTIONS } from '../../lib/keymap';
import { Modal } from './Modal';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <table className="keys">
        <tbody>
          {ACTIONS.map((a) => (
            <tr key={a.id}>
              <td>
                {a.keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </td>
              <td>{a.label}</td>
            </tr>
          ))}
          <tr>
            <td><kbd>Esc</kbd></td>
            <td>Close a dialog; leave a field</td>
          </tr>
        </tbody>
      </table>
      <p className="muted small">Keys do nothing while you type in a field. Cancelling always asks first.</p>
      <div className="buttons">
        <button type="button" data-autofocus="" onClick={onClose}>Close</button>
      </div>
    </Modal>
  );
}
