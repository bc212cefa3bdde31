import { getMetadataStorage, IsInt, IsString, MaxLength, registerDecorator, validate } from 'class-validator';
import { AppValidationPipe } from '../validation.pipe.js';
import { memoiseValidationMetadata } from './metadata-cache.js';

class Base {
  @IsString()
  name!: string;
}

class Derived extends Base {
  @IsInt()
  size!: number;
}

const body = { type: 'body' as const, metatype: Derived, data: undefined };

describe('memoiseValidationMetadata', () => {
  const storage = getMetadataStorage();
  beforeAll(() => memoiseValidationMetadata(storage));

  it('answers as class-validator does, inherited rules included, and the same list each time', () => {
    const first = storage.getTargetValidationMetadatas(Derived, '', false, false);
    expect(first.map((m) => `${m.propertyName}:${m.type}`).sort()).toEqual(['name:customValidation', 'size:customValidation']);
    expect(storage.getTargetValidationMetadatas(Derived, '', false, false)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
    expect(Object.keys(storage.groupByPropertyName(first)).sort()).toEqual(['name', 'size']);
  });

  it('groups a list it did not hand out afresh each time', () => {
    const list = [...storage.getTargetValidationMetadatas(Derived, '', false, false)];
    const grouped = storage.groupByPropertyName(list);
    list.pop();
    expect(storage.groupByPropertyName(list)).not.toBe(grouped);
  });

  it('sees a rule registered after a lookup', async () => {
    class Late {
      name!: string;
    }
    expect(await validate(Object.assign(new Late(), { name: 'x'.repeat(10) }), { forbidUnknownValues: false })).toEqual([]);
    MaxLength(3)(Late.prototype, 'name');
    const errors = await validate(Object.assign(new Late(), { name: 'x'.repeat(10) }));
    expect(errors.map((e) => Object.keys(e.constraints ?? {}))).toEqual([['maxLength']]);

    registerDecorator({
      name: 'neverValid',
      target: Late,
      propertyName: 'name',
      validator: { validate: () => false, defaultMessage: () => 'never valid' },
    });
    const again = await validate(Object.assign(new Late(), { name: 'ab' }));
    expect(again.map((e) => Object.values(e.constraints ?? {}))).toEqual([['never valid']]);
  });

  it('leaves lookups with validation groups to class-validator', () => {
    expect(storage.getTargetValidationMetadatas(Derived, '', false, false, ['g'])).not.toBe(
      storage.getTargetValidationMetadatas(Derived, '', false, false, ['g']),
    );
  });

  it('installs itself once: the service pipe validates as before', async () => {
    const pipe = new AppValidationPipe();
    new AppValidationPipe();
    await expect(pipe.transform({ name: 'ok', size: 3 }, body)).resolves.toBeInstanceOf(Derived);
    await expect(pipe.transform({ name: 5, size: 'x' }, body)).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(pipe.transform({ name: 'ok', size: 3, extra: 1 }, body)).rejects.toMatchObject({
      message: expect.stringContaining("unknown field 'extra'"),
    });
  });
});
